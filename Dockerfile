# kaplan in a container, for GitLab and other CIs:
#   docker build -t kaplan .
#   docker run --rm -v "$PWD:/plans" kaplan check
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
    && strip target/release/kaplan

FROM debian:bookworm-slim
# git reads the plans' history; the mounted repository belongs to another
# user, which git would otherwise refuse to read.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system safe.directory '*' \
    && useradd --create-home --uid 10001 kaplan
COPY --from=build /src/target/release/kaplan /usr/local/bin/kaplan
USER kaplan
WORKDIR /plans
ENTRYPOINT ["kaplan"]
CMD ["--help"]
