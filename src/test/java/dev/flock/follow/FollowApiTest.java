package dev.flock.follow;

import dev.flock.testing.KafkaTopicReader;
import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.follow;
import static dev.flock.testing.TestApi.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class FollowApiTest {

    @Test
    void followAndUnfollowAreIdempotentAndCounted() {
        TestAccount a = signUp("fa");
        TestAccount b = signUp("fb");
        follow(a, b);
        follow(a, b);
        api().get("/api/accounts/" + b.username()).then().body("followersCount", equalTo(1)).body("followingCount", equalTo(0));
        api().get("/api/accounts/" + a.username()).then().body("followingCount", equalTo(1)).body("followersCount", equalTo(0));
        api().get("/api/accounts/" + b.username() + "/followers").then().statusCode(200)
                .body("items.username", equalTo(List.of(a.username()))).body("next", equalTo(null));
        api().get("/api/accounts/" + a.username() + "/following").then().statusCode(200)
                .body("items.username", equalTo(List.of(b.username())));

        a.as().delete("/api/accounts/" + b.username() + "/follow").then().statusCode(204);
        a.as().delete("/api/accounts/" + b.username() + "/follow").then().statusCode(204);
        api().get("/api/accounts/" + b.username()).then().body("followersCount", equalTo(0));
        api().get("/api/accounts/" + a.username()).then().body("followingCount", equalTo(0));
    }

    @Test
    void followingYourselfIs400() {
        TestAccount a = signUp("self");
        a.as().put("/api/accounts/" + a.username().toUpperCase() + "/follow").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void followingUnknownAccountIs404() {
        TestAccount a = signUp("lost");
        a.as().put("/api/accounts/nobody_" + System.nanoTime() + "/follow").then()
                .statusCode(404).contentType("application/problem+json");
        api().get("/api/accounts/nobody_" + System.nanoTime() + "/followers").then().statusCode(404);
    }

    @Test
    void followNeedsToken() {
        TestAccount b = signUp("anon");
        api().put("/api/accounts/" + b.username() + "/follow").then().statusCode(401).contentType("application/problem+json");
        api().delete("/api/accounts/" + b.username() + "/follow").then().statusCode(401);
    }

    @Test
    void pagingFortyFiveFollowersGivesEachExactlyOnce() {
        TestAccount star = signUp("star");
        Set<String> expected = new HashSet<>();
        IntStream.range(0, 45).mapToObj(i -> signUp("fan")).forEach(fan -> {
            follow(fan, star);
            expected.add(fan.username());
        });
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String url = "/api/accounts/" + star.username() + "/followers?limit=20";
        while (url != null) {
            Response page = api().get(url);
            page.then().statusCode(200);
            List<String> names = page.path("items.username");
            sizes.add(names.size());
            seen.addAll(names);
            String next = page.path("next");
            String link = page.header("Link");
            if (next == null) {
                assertThat(link).isNull();
                url = null;
            } else {
                assertThat(link).contains("rel=\"next\"").contains("cursor=" + next);
                url = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            }
        }
        assertThat(sizes).containsExactly(20, 20, 5);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(expected);
        api().get("/api/accounts/" + star.username()).then().body("followersCount", equalTo(45));
    }

    @Test
    void badPagingParametersAre400() {
        TestAccount a = signUp("pg");
        for (String query : List.of("limit=0", "limit=101", "limit=abc", "cursor=%%%", "cursor=bm9wZQ")) {
            api().get("/api/accounts/" + a.username() + "/followers?" + query).then()
                    .statusCode(400).contentType("application/problem+json");
        }
        api().get("/api/accounts/" + a.username() + "/following?limit=100").then().statusCode(200);
        api().get("/api/accounts/" + a.username() + "/following?limit=1").then().statusCode(200);
    }

    @Test
    void everyChangeIsPublishedInTheFolloweesPartitionOfTheLogInOrder() {
        TestAccount a = signUp("pub");
        TestAccount b = signUp("sub");
        follow(a, b);
        follow(a, b);
        a.as().delete("/api/accounts/" + b.username() + "/follow").then().statusCode(204);
        a.as().delete("/api/accounts/" + b.username() + "/follow").then().statusCode(204);
        follow(a, b);

        // Keyed by the followee: in the followee's partition, ordered with the followee's tweets. The 204 waited for it.
        List<ConsumerRecord<String, String>> mine = KafkaTopicReader.readAll("flock.tweets").stream()
                .filter(r -> r.value().contains("\"follower\":\"" + a.id() + "\"")).toList();
        assertThat(mine).extracting(ConsumerRecord::key).containsOnly(b.id());
        assertThat(mine).extracting(ConsumerRecord::partition)
                .containsOnly(io.quarkus.arc.Arc.container().instance(dev.flock.platform.TimelineLog.class).get().partitionOf(Long.parseLong(b.id())));
        assertThat(mine).extracting(r -> r.value().replaceAll(".*\"type\":\"(\\w+)\".*", "$1"))
                .containsExactly("followed", "unfollowed", "followed");
        assertThat(mine).extracting(r -> Long.parseLong(r.value().replaceAll(".*\"seq\":(\\d+).*", "$1"))).isSorted();
        assertThat(mine.get(0).value()).contains("\"followee\":\"" + b.id() + "\"").contains("\"at\":\"");
    }
}
