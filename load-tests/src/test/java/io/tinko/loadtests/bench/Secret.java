package io.tinko.loadtests.bench;

import io.tinko.loadtests.config.Params;

/** Prints the webhook secret the feeder signs with for a PSP, so bench creates endpoints with the same one. */
public final class Secret {
  public static void main(String[] args) {
    System.out.println(Params.secret(args[0]));
  }
}
