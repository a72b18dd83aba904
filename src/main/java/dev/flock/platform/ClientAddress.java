package dev.flock.platform;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;

/**
 * The client's address. Behind an ingress it comes from X-Forwarded-For, believed only from the proxies in
 * FLOCK_TRUSTED_PROXIES (quarkus.http.proxy.* rewrites the remote address); from anyone else the header is ignored.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    /**
     * The address as limits count it: IPv4 as it is, IPv6 by its /64. One home or host is given a whole /64 and may
     * take a new address from it for every request, so a limit per IPv6 address would limit nothing.
     */
    public static String limitKey(HttpServerRequest request) {
        return limitKey(of(request));
    }

    static String limitKey(String address) {
        int zone = address.indexOf('%');
        String bare = zone < 0 ? address : address.substring(0, zone);
        // A literal only: this never resolves a name.
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
        if (bytes == null || bytes.length == 4) {
            return bare;
        }
        if (isIpv4Mapped(bytes)) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        return String.format("%x:%x:%x:%x::/64", group(bytes, 0), group(bytes, 2), group(bytes, 4), group(bytes, 6));
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static int group(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }
}
