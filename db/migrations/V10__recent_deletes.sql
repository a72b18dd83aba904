-- Each instance loads the tweets deleted in the last hour when it starts (live.RecentDeletes), to recognise a second
-- delete record of one tweet in the log. Deleted rows are few; the partial index keeps that read off the table.
CREATE INDEX tweets_recently_deleted_idx ON tweets (deleted_at) WHERE deleted_at IS NOT NULL;
