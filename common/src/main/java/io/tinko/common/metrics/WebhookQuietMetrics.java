package io.tinko.common.metrics;

import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x's metrics without its per-request HTTP server meters for webhook deliveries ({@code POST /v1/webhooks/...}).
 *
 * <p>Those requests are measured by the gateway's own meters ({@code tinko_webhooks_total} by PSP and outcome,
 * {@code tinko_webhook_ingest_latency_seconds}), looked up once; Vert.x's {@code vertx_http_server_*} meters resolve
 * their tags per request (a tag list, four meter look-ups and an active-requests gauge per request), which cost
 * several per cent of the gateway's CPU at thousands of webhooks a second. Every other request (merchant API,
 * hosted pages, health, metrics) and every connection-level meter (bytes read and written, connections) are
 * reported by Vert.x as before. Everything else is delegated unchanged.
 */
final class WebhookQuietMetrics {
  /** Requests whose URI starts with this are left to the gateway's own meters. */
  static final String WEBHOOK_PREFIX = "/v1/webhooks/";

  private WebhookQuietMetrics() {
  }

  /** A factory that wraps the metrics {@code delegate} makes. */
  static VertxMetricsFactory factory(VertxMetricsFactory delegate) {
    return new VertxMetricsFactory() {
      @Override
      public VertxMetrics metrics(VertxOptions options) {
        VertxMetrics metrics = delegate.metrics(options);
        return metrics == null ? null : new Vertx(metrics);
      }

      @Override
      public MetricsOptions newOptions() {
        return delegate.newOptions();
      }

      @Override
      public MetricsOptions newOptions(MetricsOptions options) {
        return delegate.newOptions(options);
      }

      @Override
      public MetricsOptions newOptions(JsonObject json) {
        return delegate.newOptions(json);
      }
    };
  }

  static boolean isWebhook(HttpRequest request) {
    String uri = request.uri();
    return uri != null && uri.startsWith(WEBHOOK_PREFIX);
  }

  /** Delegates everything; only the HTTP server metrics are wrapped. */
  private static final class Vertx implements VertxMetrics {
    private final VertxMetrics delegate;

    Vertx(VertxMetrics delegate) {
      this.delegate = delegate;
    }

    @Override
    public EventBusMetrics createEventBusMetrics() {
      return delegate.createEventBusMetrics();
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> m = delegate.createHttpServerMetrics(options, localAddress);
      return m == null ? null : new Server<>((HttpServerMetrics<Object, Object, Object>) m);
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return delegate.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return delegate.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return delegate.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return delegate.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return delegate.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
      return delegate.createPoolMetrics(poolType, poolName, maxPoolSize);
    }

    @Override
    public void vertxCreated(io.vertx.core.Vertx vertx) {
      delegate.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return delegate.isMetricsEnabled();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * The HTTP server's metrics: a webhook request gets no request metric (null), and every per-request call with a
   * null metric is dropped here; all else goes to the delegate.
   */
  static final class Server<R, W, S> implements HttpServerMetrics<R, W, S> {
    private final HttpServerMetrics<R, W, S> delegate;

    Server(HttpServerMetrics<R, W, S> delegate) {
      this.delegate = delegate;
    }

    @Override
    public R requestBegin(S socketMetric, HttpRequest request) {
      return isWebhook(request) ? null : delegate.requestBegin(socketMetric, request);
    }

    @Override
    public void requestEnd(R requestMetric, HttpRequest request, long bytesRead) {
      if (requestMetric != null) {
        delegate.requestEnd(requestMetric, request, bytesRead);
      }
    }

    @Override
    public void requestReset(R requestMetric) {
      if (requestMetric != null) {
        delegate.requestReset(requestMetric);
      }
    }

    @Override
    public void responseBegin(R requestMetric, HttpResponse response) {
      if (requestMetric != null) {
        delegate.responseBegin(requestMetric, response);
      }
    }

    @Override
    public R responsePushed(S socketMetric, HttpMethod method, String uri, HttpResponse response) {
      return delegate.responsePushed(socketMetric, method, uri, response);
    }

    @Override
    public void responseEnd(R requestMetric, HttpResponse response, long bytesWritten) {
      if (requestMetric != null) {
        delegate.responseEnd(requestMetric, response, bytesWritten);
      }
    }

    @Override
    public W connected(S socketMetric, R requestMetric, ServerWebSocket serverWebSocket) {
      return delegate.connected(socketMetric, requestMetric, serverWebSocket);
    }

    @Override
    public void disconnected(W serverWebSocketMetric) {
      delegate.disconnected(serverWebSocketMetric);
    }

    @Override
    public void requestRouted(R requestMetric, String route) {
      if (requestMetric != null) {
        delegate.requestRouted(requestMetric, route);
      }
    }

    @Override
    public S connected(SocketAddress remoteAddress, String remoteName) {
      return delegate.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(S socketMetric, SocketAddress remoteAddress) {
      delegate.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
      delegate.exceptionOccurred(socketMetric, remoteAddress, t);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
