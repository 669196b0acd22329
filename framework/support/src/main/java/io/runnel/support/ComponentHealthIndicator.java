package io.runnel.support;

import io.micronaut.context.annotation.EachBean;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * A component's {@link ComponentStatus} in {@code /health}: one indicator for each bean that is a
 * {@link Component}, so a connector reports its health by implementing that interface.
 */
@EachBean(ComponentHealthIndicator.Component.class)
public final class ComponentHealthIndicator implements HealthIndicator {

  /** A bean whose status shows in {@code /health}. */
  public interface Component {

    /** The status to report; empty when the component has nothing to run (nothing configured). */
    Optional<ComponentStatus<?>> componentStatus();
  }

  private final Component component;

  ComponentHealthIndicator(Component component) {
    this.component = component;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return component
        .componentStatus()
        .map(ComponentHealthIndicator::result)
        .map(Publishers::just)
        .orElseGet(Publishers::empty);
  }

  private static <S extends Enum<S>> HealthResult result(ComponentStatus<S> status) {
    ComponentStatus.Reading<S> reading = status.read();
    return HealthResult.builder(status.name(), status.health(reading))
        .details(status.details(reading))
        .build();
  }
}
