package dev.flock.timeline;

import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.post;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class HomeTimelineTest {

    @Test
    void homeHoldsOwnAndFolloweesTweetsNewestFirst() {
        TestAccount reader = signUp("reader");
        TestAccount followed = signUp("followed");
        TestAccount stranger = signUp("stranger");
        follow(reader, followed);
        String t1 = post(followed, "from followed 1");
        String t2 = post(reader, "my own");
        String t3 = post(stranger, "from a stranger");
        String t4 = post(followed, "from followed 2");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(ids(reader, "")).containsExactly(t4, t2, t1));
        assertThat(ids(reader, "?after=" + t2)).containsExactly(t4);
        assertThat(ids(reader, "?before=" + t4 + "&after=" + t1)).containsExactly(t2);
        assertThat(ids(stranger, "")).containsExactly(t3);
        assertThat(t3).isNotIn(ids(reader, ""));

        reader.as().delete("/api/accounts/" + followed.username() + "/follow").then().statusCode(204);
        assertThat(ids(reader, "")).containsExactly(t2);
    }

    @Test
    void readerFollowingManyAccountsGetsAMergedPage() {
        TestAccount reader = signUp("many");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestAccount author = signUp("author");
            follow(reader, author);
            expected.add(post(author, "a"));
            expected.add(post(author, "b"));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ids(reader, "?limit=100")).hasSize(24));
        List<String> page = ids(reader, "?limit=10");
        List<String> newestTen = expected.stream().sorted((x, y) -> Long.compare(Long.parseLong(y), Long.parseLong(x))).limit(10).toList();
        assertThat(page).containsExactlyElementsOf(newestTen);
    }

    private static List<String> ids(TestAccount reader, String query) {
        return reader.as().get("/api/timeline/home" + query).then().statusCode(200).extract().path("items.id");
    }
}
