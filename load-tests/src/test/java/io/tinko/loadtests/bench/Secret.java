package io.tinko.loadtests.bench;

import io.tinko.loadtests.config.Mix;
import io.tinko.loadtests.config.Params;

/**
 * Prints what bench must configure the way the feeder signs: {@code Secret <psp>} the webhook secret of a PSP,
 * {@code Secret --paypal-webhook-id} the PayPal webhook id, {@code Secret --psps} the PSPs of the effective
 * mix (positive weight), space-separated.
 */
public final class Secret {
  public static void main(String[] args) {
    System.out.println(switch (args[0]) {
      case "--psps" -> String.join(" ", Mix.parse(Params.MIX).psps());
      case "--paypal-webhook-id" -> Params.paypalWebhookId();
      default -> Params.secret(args[0]);
    });
  }
}
