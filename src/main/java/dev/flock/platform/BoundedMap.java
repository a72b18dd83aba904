package dev.flock.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps at most {@code maxKeys} entries, dropping the eldest (by insertion, or by last access) past the
 * bound: for what an instance remembers in memory and may forget. Not thread-safe; callers synchronise.
 */
public class BoundedMap<K, V> extends LinkedHashMap<K, V> {

    private final int maxKeys;

    public BoundedMap(int maxKeys, boolean accessOrder) {
        super(16, 0.75f, accessOrder);
        this.maxKeys = maxKeys;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > maxKeys;
    }
}
