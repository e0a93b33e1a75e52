package io.tinko.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tinko.embedded.FreePort;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** A real SMTP server (GreenMail) per test class, injected as {@link GreenMail}. */
public final class SmtpExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SmtpExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    GreenMail gm = new GreenMail(new ServerSetup(FreePort.pick(0), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    gm.start();
    context.getStore(NS).put(GreenMail.class, gm);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    GreenMail gm = context.getStore(NS).remove(GreenMail.class, GreenMail.class);
    if (gm != null) {
      gm.stop();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == GreenMail.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    ExtensionContext c = e;
    while (c != null) {
      GreenMail gm = c.getStore(NS).get(GreenMail.class, GreenMail.class);
      if (gm != null) {
        return gm;
      }
      c = c.getParent().orElse(null);
    }
    throw new IllegalStateException("SmtpExtension must be registered on the test class");
  }
}
