package io.tinko.launcher;

import io.tinko.common.config.TinkoConfig;
import io.tinko.common.db.Database;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Apply the database migrations to the configured Postgres (or the running `tinko up`'s).")
final class MigrateCommand implements Callable<Integer> {
  @Mixin
  Settings settings;

  @Override
  public Integer call() throws Exception {
    TinkoConfig config = settings.load(false);
    Backing backing = Backing.connect(config);
    MigrateResult result;
    try {
      result = Database.migrateBlocking(Database.connectOptions(backing.pgUrl));
    } catch (RuntimeException e) {
      throw new io.tinko.common.config.ConfigException("migration failed: " + Database.describe(e), e);
    }
    System.out.println("schema at version " + (result.targetSchemaVersion == null ? "unchanged"
        : result.targetSchemaVersion) + "; " + result.migrationsExecuted + " migration(s) applied");
    return 0;
  }
}
