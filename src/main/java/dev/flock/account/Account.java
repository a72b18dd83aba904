package dev.flock.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An account row. The counters are maintained by SQL in the transactions that change what they count. */
@Entity
@Table(name = "accounts")
public class Account extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;

    @Column(name = "display_name")
    public String displayName;

    public String bio;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "followers_count", insertable = false, updatable = false)
    public int followersCount;

    @Column(name = "following_count", insertable = false, updatable = false)
    public int followingCount;

    @Column(name = "tweets_count", insertable = false, updatable = false)
    public int tweetsCount;
}
