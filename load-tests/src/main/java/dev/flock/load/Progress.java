package dev.flock.load;

import java.util.function.Supplier;

/** Prints a progress line every two seconds while a phase runs. */
final class Progress implements AutoCloseable {

    private final Supplier<String> line;
    private final Thread thread;
    private volatile boolean running = true;

    Progress(Supplier<String> line) {
        this.line = line;
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                if (running) {
                    line();
                }
            }
        }, "progress");
        thread.setDaemon(true);
        thread.start();
    }

    void line() {
        System.out.println("  " + line.get());
        System.out.flush();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
