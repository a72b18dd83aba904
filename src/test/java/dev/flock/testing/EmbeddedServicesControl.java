package dev.flock.testing;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/** Stops and starts the embedded PostgreSQL and Kafka of this test run, through their JMX controls. */
public final class EmbeddedServicesControl {

    private static final String NAME = "dev.flock:type=EmbeddedServices";

    private EmbeddedServicesControl() {
    }

    public static void stopKafka() {
        invoke("stopKafka");
    }

    public static void startKafka() {
        invoke("startKafka");
    }

    public static void stopPostgres() {
        invoke("stopPostgres");
    }

    public static void startPostgres() {
        invoke("startPostgres");
    }

    public static String attribute(String name) {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(NAME), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invoke(String operation) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.invoke(new ObjectName(NAME), operation, null, null);
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed", e);
        }
    }
}
