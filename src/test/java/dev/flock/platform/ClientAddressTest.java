package dev.flock.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    @Test
    void ipv4IsCountedAsItIs() {
        assertThat(ClientAddress.limitKey("198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void ipv6IsCountedByItsSlash64() {
        assertThat(ClientAddress.limitKey("2001:db8:1:2::5")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.limitKey("2001:0db8:0001:0002:ffff:eeee:dddd:cccc")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.limitKey("2001:db8:1:3::5")).isEqualTo("2001:db8:1:3::/64");
        assertThat(ClientAddress.limitKey("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Client() {
        assertThat(ClientAddress.limitKey("::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void anythingElseIsKeptAsItIs() {
        assertThat(ClientAddress.limitKey("unknown")).isEqualTo("unknown");
    }
}
