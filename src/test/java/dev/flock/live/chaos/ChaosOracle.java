package dev.flock.live.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, from what the API acknowledged, what each reader was owed, and counts what went wrong. Times are
 * System.nanoTime() readings of the client: a request "happened" somewhere between its start and its answer, so a
 * post whose interval overlaps a follow change of its author is ambiguous (allowed either way, still at most once).
 */
final class ChaosOracle {

    /** An acknowledged post: the interval from its first attempt to its 201. */
    record Post(int number, long author, String id, long start, long ack) {
    }

    /** A follow change answered 204: the interval from its first attempt to the answer. */
    record Change(boolean follows, long start, long end) {
    }

    /** A delete answered 204 (or 404 on a retry after the first attempt's answer was lost). */
    record Delete(String id, long start, long end) {
    }

    /** Everything one reader received over all its connections, and where it started. */
    record Received(long reader, List<String> tweets, List<String> deletes, Set<String> fromFirstPage, long startedAt, int resets) {
    }

    record Verdict(int readers, int tweetsPosted, int framesReceived, int owed, int ambiguous, int lost, int duplicated,
                   int unexpected, int missingDeletes, int unexpectedDeletes, int duplicatedDeletes, int resets, List<String> problems) {

        boolean clean() {
            return lost == 0 && duplicated == 0 && unexpected == 0 && missingDeletes == 0 && unexpectedDeletes == 0
                    && duplicatedDeletes == 0 && resets == 0;
        }

        String summary() {
            return String.format("readers %d, tweets posted %d, tweet frames %d, owed %d (+%d ambiguous), lost %d, duplicated %d, "
                            + "unexpected %d, deletes missing %d, unexpected deletes %d, duplicated deletes %d, resets %d",
                    readers, tweetsPosted, framesReceived, owed, ambiguous, lost, duplicated, unexpected, missingDeletes,
                    unexpectedDeletes, duplicatedDeletes, resets);
        }
    }

    private enum Owed { YES, NO, MAYBE }

    private final Map<String, Post> postsById = new HashMap<>();
    private final Map<String, List<Change>> changes = new HashMap<>();
    private final Map<String, Boolean> initiallyFollows = new HashMap<>();
    private final Map<String, Delete> deletes = new HashMap<>();

    void posted(Post post) {
        postsById.put(post.id(), post);
    }

    void initialFollow(long reader, long author) {
        initiallyFollows.put(pair(reader, author), true);
    }

    void changed(long reader, long author, Change change) {
        changes.computeIfAbsent(pair(reader, author), k -> new ArrayList<>()).add(change);
    }

    void deleted(Delete delete) {
        deletes.put(delete.id(), delete);
    }

    Verdict judge(List<Received> readers) {
        int owedCount = 0, ambiguous = 0, lost = 0, duplicated = 0, unexpected = 0, missingDeletes = 0, unexpectedDeletes = 0,
                duplicatedDeletes = 0, resets = 0, frames = 0;
        List<String> problems = new ArrayList<>();
        for (Received r : readers) {
            resets += r.resets();
            frames += r.tweets().size();
            Set<String> got = new HashSet<>(r.fromFirstPage());
            for (String id : r.tweets()) {
                if (!got.add(id)) {
                    duplicated++;
                    note(problems, "reader " + r.reader() + " got tweet " + id + " twice");
                }
                Post post = postsById.get(id);
                if (post == null) {
                    unexpected++;
                    note(problems, "reader " + r.reader() + " got unknown tweet " + id);
                } else if (owed(r, post) == Owed.NO) {
                    unexpected++;
                    note(problems, "reader " + r.reader() + " got tweet " + id + " (post " + post.number() + " by " + post.author() + ") it was not owed");
                }
            }
            for (Post post : postsById.values()) {
                Owed owed = owed(r, post);
                if (owed == Owed.MAYBE) {
                    ambiguous++;
                } else if (owed == Owed.YES) {
                    owedCount++;
                    if (!got.contains(post.id()) && !deletes.containsKey(post.id())) {
                        lost++;
                        note(problems, "reader " + r.reader() + " never got tweet " + post.id() + " (post " + post.number() + " by " + post.author() + ")");
                    }
                }
            }
            Set<String> deleteFrames = new HashSet<>();
            for (String id : r.deletes()) {
                if (!deleteFrames.add(id)) {
                    duplicatedDeletes++;
                    note(problems, "reader " + r.reader() + " got the delete of " + id + " twice");
                }
                Post post = postsById.get(id);
                if (post == null || (post.author() != r.reader() && !everFollowed(r.reader(), post.author()))) {
                    unexpectedDeletes++;
                    note(problems, "reader " + r.reader() + " got the delete of " + id + ", not a tweet of anyone it followed");
                }
            }
            for (String id : got) {
                if (deletes.containsKey(id) && !deleteFrames.contains(id)) {
                    missingDeletes++;
                    note(problems, "reader " + r.reader() + " got tweet " + id + " but not its delete");
                }
            }
        }
        return new Verdict(readers.size(), postsById.size(), frames, owedCount, ambiguous, lost, duplicated, unexpected,
                missingDeletes, unexpectedDeletes, duplicatedDeletes, resets, problems);
    }

    private Owed owed(Received r, Post post) {
        // Before the reader started: what its first page showed is received already; anything else of that time may
        // come from the stream (not stored yet when the page was read) or not at all (older than the page).
        if (post.start() < r.startedAt()) {
            return Owed.MAYBE;
        }
        if (post.author() == r.reader()) {
            return Owed.YES;
        }
        String pair = pair(r.reader(), post.author());
        boolean follows = initiallyFollows.getOrDefault(pair, false);
        for (Change c : changes.getOrDefault(pair, List.of())) {
            if (c.end() < post.start()) {
                follows = c.follows();
            } else if (c.start() <= post.ack()) {
                return Owed.MAYBE;
            }
        }
        return follows ? Owed.YES : Owed.NO;
    }

    private boolean everFollowed(long reader, long author) {
        String pair = pair(reader, author);
        return initiallyFollows.getOrDefault(pair, false) || changes.getOrDefault(pair, List.of()).stream().anyMatch(Change::follows);
    }

    private static String pair(long reader, long author) {
        return reader + ">" + author;
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 40) {
            problems.add(problem);
        }
    }
}
