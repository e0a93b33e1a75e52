# One image for every Tinko process (gateway, engine, analytics, migrate); the command picks the role.
# Build: docker build -t tinko .    Run: docker run tinko gateway | engine | migrate | version
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl launcher -am package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app tinko
WORKDIR /app
COPY --from=build /src/launcher/target/tinko.jar /app/tinko.jar
COPY --from=build /src/launcher/target/lib /app/lib
COPY conf /app/conf
USER tinko
ENV TINKO_EMBEDDED_DATA_DIR=/app/data \
    JAVA_TOOL_OPTIONS="-XX:+UseParallelGC -XX:MaxRAMPercentage=70"
EXPOSE 8080 5701
ENTRYPOINT ["java", "-jar", "/app/tinko.jar"]
CMD ["--help"]
