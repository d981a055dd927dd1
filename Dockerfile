# Vpp.Orleans silo: HTTP API, Orleans dashboard and silo in one process.
# Build: docker build -t vpp-orleans .    Run: docker run -p 5080:5080 vpp-orleans --demo
# Three silos on PostgreSQL: docker compose up --build (docker-compose.yml). Migrate only: docker run … vpp-orleans migrate
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The silo's build runs `npm ci` for the operator console's chart library (Chart.js, pinned in its package-lock.json).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Directory.Build.targets keeps only the building platform's native libraries (OR-Tools, SQLite) in the output.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props Vpp.Orleans.sln ./
COPY src/ src/
COPY silo-config/ silo-config/
# The synthesised price days the console's optimise view offers (linked into console/prices/ by the silo's build).
COPY tests/Vpp.Domain.Tests/Optimisation/prices/ tests/Vpp.Domain.Tests/Optimisation/prices/
RUN dotnet publish src/Vpp.Silo/Vpp.Silo.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The ASP.NET images ship a non-root "app" user (uid 1654); grain state goes to /app/data by default.
RUN mkdir -p /app/data && chown app:app /app/data && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER app
ENV ASPNETCORE_URLS=http://+:5080 \
    VPP_CONFIG_DIR=/app/silo-config \
    Storage__Sqlite__ConnectionString="Data Source=/app/data/vpp.db"
# 5080: HTTP API, console and dashboard. 30000: Orleans gateway for SDK clients (mutual TLS, Orleans:Tls). The silo
# port 11111 (silo to silo, also mutual TLS) is deliberately not exposed: it must stay on the cluster's private
# network. The single-silo default (SQLite) binds both Orleans ports to the container's loopback only.
EXPOSE 5080 30000
VOLUME ["/app/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS http://localhost:5080/health/ready || exit 1
ENTRYPOINT ["dotnet", "Vpp.Silo.dll"]
