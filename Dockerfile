# One image for the gateway and the workers: the two shaded jars on a JDK 17 runtime.
# Build the jars first (./kato build); `docker compose up` then builds this image.
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY gateway/target/kato-gateway-0.1.0-SNAPSHOT-all.jar /app/kato-gateway.jar
COPY worker/target/kato-worker-0.1.0-SNAPSHOT-all.jar /app/kato-worker.jar
RUN useradd --system --home /app kato && mkdir -p /data && chown kato /data
USER kato
EXPOSE 8000 50051 5555
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError"]
CMD ["-jar", "/app/kato-gateway.jar", "--port", "8000"]
