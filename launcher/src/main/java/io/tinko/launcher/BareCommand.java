package io.tinko.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark baseline: a bare Vert.x HTTP server that reads each request body and answers 200, on the same
 * event-loop layout as the gateway. What the load generator reaches against it is this machine's ceiling.
 */
@Command(name = "bare", mixinStandardHelpOptions = true,
    description = "Serve a bare endpoint that reads the body and answers 200 (the load-test baseline).")
final class BareCommand implements Callable<Integer> {
  @Option(names = {"-p", "--port"}, defaultValue = "8090", description = "Port (default 8090).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface (default 127.0.0.1).")
  String host;

  static final class BareVerticle extends VerticleBase {
    private final int port;
    private final String host;

    BareVerticle(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
          .requestHandler(req -> req.body().onComplete(ar -> req.response()
              .putHeader("Content-Type", "application/json").end("{\"status\":\"accepted\"}")))
          .listen(port, host);
    }
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    vertx.deployVerticle(() -> new BareVerticle(host, port), new DeploymentOptions().setInstances(instances))
        .await(30, TimeUnit.SECONDS);
    System.out.println("bare endpoint listening on http://" + host + ":" + port + "/");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(4, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("tinko bare: " + e.getMessage());
      }
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
