/** What a container image looks like inside: distribution, default process, config files. */
import type { Vfs } from './vfs.js';

export interface ImageProfile {
  flavor: 'busybox' | 'gnu';
  /** Programs only this image has (see commands/clients.ts). */
  commands?: string[];
  osRelease: string;
  /** argv of PID 1 when the pod spec gives no command. */
  entrypoint: string[];
  /** Extra processes a server image runs (nginx workers…). */
  extraProcs: string[];
  env: Record<string, string>;
  files(vfs: Vfs): void;
}

const ALPINE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n';
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n';

const NGINX_CONF = `user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
`;

const NGINX_DEFAULT = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

const INDEX = '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking.</p>\n</body>\n</html>\n';

export function profileFor(image: string): ImageProfile {
  const img = image.toLowerCase();
  const name = img.replace(/^.*\//, '').replace(/[:@].*$/, '');
  const alpine = /alpine|busybox/.test(img);
  const base = {
    flavor: alpine ? 'busybox' as const : 'gnu' as const,
    osRelease: alpine ? ALPINE : DEBIAN,
    extraProcs: [] as string[],
    env: {} as Record<string, string>,
  };
  if (name === 'nginx' || name.includes('nginx')) {
    return {
      ...base,
      entrypoint: ['nginx', '-g', 'daemon off;'],
      extraProcs: ['nginx: worker process', 'nginx: worker process'],
      env: { NGINX_VERSION: '1.27.2', NJS_VERSION: '0.8.7', PKG_RELEASE: alpine ? '1' : '1~bookworm' },
      files: (v) => {
        v.put('/etc/nginx/nginx.conf', NGINX_CONF);
        v.put('/etc/nginx/conf.d/default.conf', NGINX_DEFAULT);
        v.put('/etc/nginx/mime.types', 'types {\n    text/html                                        html htm shtml;\n    text/css                                         css;\n    application/javascript                           js;\n    application/json                                 json;\n}\n');
        v.put('/usr/share/nginx/html/index.html', INDEX);
        v.put('/usr/share/nginx/html/50x.html', '<!DOCTYPE html>\n<html><body><h1>An error occurred.</h1></body></html>\n');
        v.symlink('/var/log/nginx/access.log', '/dev/stdout');
        v.symlink('/var/log/nginx/error.log', '/dev/stderr');
        v.put('/var/run/nginx.pid', '1\n');
        v.put('/docker-entrypoint.sh', '#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n\nentrypoint_log() {\n    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then\n        echo "$@"\n    fi\n}\n\nexec "$@"\n', 0o755);
        v.put('/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh', '#!/bin/sh\n', 0o755);
        v.put('/docker-entrypoint.d/20-envsubst-on-templates.sh', '#!/bin/sh\n', 0o755);
      },
    };
  }
  if (name === 'redis' || name.includes('redis')) {
    return {
      ...base,
      entrypoint: ['redis-server', '*:6379'],
      commands: ['redis-cli'],
      env: { REDIS_VERSION: '7.4.1', REDIS_DOWNLOAD_URL: 'http://download.redis.io/releases/redis-7.4.1.tar.gz' },
      files: (v) => {
        v.mkdirp('/data');
        v.put('/data/dump.rdb', 'REDIS0011\n');
        v.put('/usr/local/etc/redis/redis.conf', 'bind 0.0.0.0\nprotected-mode no\nport 6379\nappendonly no\nmaxmemory 256mb\nmaxmemory-policy allkeys-lru\n');
      },
    };
  }
  if (name === 'postgres' || name.includes('postgres')) {
    return {
      ...base,
      entrypoint: ['postgres'],
      commands: ['psql', 'pg_isready'],
      extraProcs: ['postgres: checkpointer', 'postgres: background writer', 'postgres: walwriter', 'postgres: autovacuum launcher', 'postgres: logical replication launcher'],
      env: { PG_MAJOR: '16', PG_VERSION: '16.4-1.pgdg120+2', PGDATA: '/var/lib/postgresql/data', LANG: 'en_US.utf8' },
      files: (v) => {
        v.put('/var/lib/postgresql/data/PG_VERSION', '16\n');
        v.put('/var/lib/postgresql/data/postgresql.conf', "listen_addresses = '*'\nmax_connections = 100\nshared_buffers = 128MB\ndynamic_shared_memory_type = posix\nmax_wal_size = 1GB\nmin_wal_size = 80MB\nlog_timezone = 'Etc/UTC'\ndatestyle = 'iso, mdy'\ntimezone = 'Etc/UTC'\n");
        v.put('/var/lib/postgresql/data/pg_hba.conf', 'local   all             all                                     trust\nhost    all             all             127.0.0.1/32            trust\nhost    all             all             all                     scram-sha-256\n');
      },
    };
  }
  if (/^(busybox|alpine)$/.test(name)) {
    return { ...base, entrypoint: ['sh'], files: () => {} };
  }
  if (/^(node|python|golang|openjdk|eclipse-temurin|ubuntu|debian)$/.test(name)) {
    return { ...base, entrypoint: [name === 'python' ? 'python3' : name === 'node' ? 'node' : 'bash'], files: () => {} };
  }
  // An application image: a small app with its config.
  return {
    ...base,
    entrypoint: ['/app/server'],
    env: { APP_HOME: '/app' },
    files: (v) => {
      v.put('/app/server', '\x7fELF', 0o755);
      v.put('/app/config.yaml', `server:\n  port: 8080\n  readTimeout: 5s\nlog:\n  level: info\n  format: json\nmetrics:\n  enabled: true\n  path: /metrics\n`);
      v.put('/app/VERSION', `${image.split(':')[1] ?? 'latest'}\n`);
    },
  };
}
