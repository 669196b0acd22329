package ${package};

import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;

/**
 * Takes each {@link Greeting} asked for on {@code greetings.requested} and publishes it, written,
 * to {@code greetings.sent} with the same key. Runnel subscribes, decodes, retries, dead-letters
 * what keeps failing (to {@code greetings.requested.dlq}) and commits once the output is stored.
 */
@Singleton
public class GreetingFunction {

  @EventFunction(
      name = "greeting",
      topics = "greetings.requested",
      group = "${artifactId}-greeting",
      outputTopic = "greetings.sent")
  public Greeting handle(Greeting request) {
    return Greeting.newBuilder(request).setMessage("Hello, " + request.getName() + "!").build();
  }
}
