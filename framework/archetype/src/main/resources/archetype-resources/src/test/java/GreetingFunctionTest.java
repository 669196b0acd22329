package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the function against a real Kafka broker and schema registry in the test JVM. */
@RunnelTest
class GreetingFunctionTest {

  @Test
  void aRequestedGreetingIsSentWrittenUnderItsKey(RunnelTestKit kit) {
    kit.send("greetings.requested", "ada", Greeting.newBuilder().setName("Ada").build());

    List<Greeting> sent = kit.awaitValues("greetings.sent", Greeting.class, 1);
    assertEquals("Hello, Ada!", sent.get(0).getMessage());
  }
}
