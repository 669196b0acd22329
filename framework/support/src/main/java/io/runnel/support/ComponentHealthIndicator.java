package io.runnel.support;

import io.micronaut.context.annotation.EachBean;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.List;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A component's {@link ComponentStatus} in {@code /health}: one indicator for each bean that is a
 * {@link Component}, so a connector reports its health by implementing that interface.
 */
@EachBean(ComponentHealthIndicator.Component.class)
public final class ComponentHealthIndicator implements HealthIndicator {

  /** A bean whose status shows in {@code /health}. */
  public interface Component {

    /** The status to report; empty when the component has nothing to run (nothing configured). */
    default Optional<ComponentStatus<?>> componentStatus() {
      return Optional.empty();
    }

    /**
     * Every status to report, each an entry of its own; a component that runs several things (the
     * runtime: one consumer per function) returns them here instead of {@link #componentStatus()}.
     */
    default List<ComponentStatus<?>> componentStatuses() {
      return componentStatus().stream().toList();
    }
  }

  private final Component component;

  /** The indicator of {@code component}; public so a test can read one without a context. */
  public ComponentHealthIndicator(Component component) {
    this.component = component;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return new Results(
        component.componentStatuses().stream().map(ComponentHealthIndicator::result).toList());
  }

  private static <S extends Enum<S>> HealthResult result(ComponentStatus<S> status) {
    ComponentStatus.Reading<S> reading = status.read();
    return HealthResult.builder(status.name(), status.health(reading))
        .details(status.details(reading))
        .build();
  }

  /** Emits readings taken already, as many as are requested, then completes. */
  private record Results(List<HealthResult> results) implements Publisher<HealthResult> {
    @Override
    public void subscribe(Subscriber<? super HealthResult> subscriber) {
      subscriber.onSubscribe(
          new Subscription() {
            private int next;
            private boolean done;

            @Override
            public synchronized void request(long count) {
              for (long i = 0; i < count && next < results.size() && !done; i++) {
                subscriber.onNext(results.get(next++));
              }
              if (next == results.size() && !done) {
                done = true;
                subscriber.onComplete();
              }
            }

            @Override
            public synchronized void cancel() {
              done = true;
            }
          });
    }
  }
}
