package io.cachet.api.health;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The background job of a component: one daemon thread that runs a piece of work with a fixed delay between runs
 * (changed while running), on demand, and that remembers how the last run failed for the component's
 * {@link HealthIndicator}.
 *
 * <p>A run never throws: a {@link RuntimeException} from the work is kept as {@link #lastFailure()} (cleared by the
 * next run that succeeds) and handed to the failure reporter (usually a WARN in the component's log, saying that the
 * job runs again later); the next run comes as planned. Errors ({@link Error}) are not caught.
 *
 * <p>Typical use: create it in {@code @Activate} and call {@link #schedule}; call {@link #schedule} again from
 * {@code @Modified} when the configured interval changed; {@link #stop()} in {@code @Deactivate}.
 *
 * <p>Thread-safe. Runs on the job's thread never overlap; {@link #run()} runs on the caller's thread and may overlap
 * with them, so the work must tolerate that (or be called only through {@link #runSoon()}).
 */
public final class BackgroundJob {

    private final Runnable work;
    private final Consumer<? super RuntimeException> onFailure;
    private final ScheduledExecutorService thread;
    private ScheduledFuture<?> scheduled;
    private volatile String lastFailure;

    /**
     * Starts the job's thread; nothing runs until {@link #schedule}, {@link #runSoon()} or {@link #runAfter}.
     *
     * @param threadName the name of the job's (daemon) thread, e.g. {@code cachet-acceptance-jobs}
     * @param work what one run does; may throw a {@link RuntimeException}
     * @param onFailure told of each failed run, on the thread of that run; should only log (it must not throw)
     */
    public BackgroundJob(String threadName, Runnable work, Consumer<? super RuntimeException> onFailure) {
        Objects.requireNonNull(threadName, "threadName");
        this.work = Objects.requireNonNull(work, "work");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs the work on the job's thread after {@code firstDelay}, then again {@code delay} after each run ends; a
     * schedule set before is cancelled (a run under way finishes).
     *
     * @throws IllegalArgumentException if {@code delay} is not positive
     * @throws RejectedExecutionException if the job was stopped
     */
    public synchronized void schedule(long firstDelay, long delay, TimeUnit unit) {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduled = thread.scheduleWithFixedDelay(this::run, firstDelay, delay, unit);
    }

    /**
     * Runs the work now on the job's thread, after a run under way (the schedule is unchanged).
     *
     * @throws RejectedExecutionException if the job was stopped
     */
    public void runSoon() {
        thread.execute(this::run);
    }

    /**
     * Runs the work once on the job's thread after {@code delay} (the schedule is unchanged), e.g. so that the
     * caller's transaction has committed.
     *
     * @throws RejectedExecutionException if the job was stopped
     */
    public void runAfter(long delay, TimeUnit unit) {
        thread.schedule(this::run, delay, unit);
    }

    /** Runs the work once on the caller's thread; a failure is kept and reported, never thrown. */
    public void run() {
        try {
            work.run();
            lastFailure = null;
        } catch (RuntimeException e) {
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            onFailure.accept(e);
        }
    }

    /**
     * How the last finished run failed ({@code SimpleClassName: message}), or {@code null} when it succeeded or no
     * run has finished yet.
     */
    public String lastFailure() {
        return lastFailure;
    }

    /** Stops the job: no more runs; a run under way is interrupted. Does not wait. */
    public void stop() {
        thread.shutdownNow();
    }

    /**
     * Stops the job like {@link #stop()} and waits up to {@code timeout} for a run under way to end.
     *
     * @return whether the job's thread ended in time (false too when the caller was interrupted; its interrupt
     *         status is then set again)
     */
    public boolean stop(long timeout, TimeUnit unit) {
        thread.shutdownNow();
        try {
            return thread.awaitTermination(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
