package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// RedisConfig is REDIS_URL parsed: one server, or the seed nodes of a
// Redis Cluster.
type RedisConfig struct {
	// Options are the client options; IsClusterMode is set for a cluster.
	Options *redis.UniversalOptions
}

// String names the servers without credentials, for the start-up log.
func (r *RedisConfig) String() string {
	if r == nil {
		return "in-process"
	}
	addrs := strings.Join(r.Options.Addrs, ",")
	if r.Options.IsClusterMode {
		return "cluster " + addrs
	}
	return addrs
}

// redisURL parses REDIS_URL: a redis:// or rediss:// URL, or a comma-separated
// list of host:port or such URLs naming the seed nodes of a cluster.
func (p *envParser) redisURL(name string) *RedisConfig {
	v := p.text(name, "")
	if v == "" {
		return nil
	}
	if strings.Contains(v, ",") {
		return p.redisCluster(name, v)
	}
	if !strings.HasPrefix(v, "redis://") && !strings.HasPrefix(v, "rediss://") {
		p.fail(name, "want a redis:// or rediss:// URL, or a comma-separated list "+
			"of cluster nodes")
		return nil
	}
	o, err := redis.ParseURL(v)
	if err != nil {
		p.fail(name, "is not a valid Redis URL")
		return nil
	}
	return &RedisConfig{Options: &redis.UniversalOptions{
		Addrs: []string{o.Addr}, Username: o.Username, Password: o.Password, DB: o.DB,
		ClientName: o.ClientName, Protocol: o.Protocol, TLSConfig: o.TLSConfig,
		MaxRetries: o.MaxRetries, DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout,
		WriteTimeout: o.WriteTimeout, PoolSize: o.PoolSize, MinIdleConns: o.MinIdleConns,
	}}
}

// redisCluster parses a list of cluster nodes. Credentials and TLS come
// from the nodes given as URLs.
func (p *envParser) redisCluster(name, v string) *RedisConfig {
	o := &redis.UniversalOptions{IsClusterMode: true}
	for i, node := range strings.Split(v, ",") {
		node = strings.TrimSpace(node)
		addr, err := clusterNode(node, o)
		if err != nil {
			p.fail(name, "cluster node %d: %v", i+1, err)
			return nil
		}
		o.Addrs = append(o.Addrs, addr)
	}
	return &RedisConfig{Options: o}
}

// clusterNode returns the address of one node, taking credentials and TLS
// from it into o when it is a URL.
func clusterNode(node string, o *redis.UniversalOptions) (string, error) {
	if node == "" {
		return "", fmt.Errorf("is empty")
	}
	if !strings.Contains(node, "://") {
		if _, _, err := net.SplitHostPort(node); err != nil {
			return "", fmt.Errorf("%q is not host:port", node)
		}
		return node, nil
	}

	u, err := url.Parse(node)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Port() == "" {
		return "", fmt.Errorf("want host:port or redis://host:port")
	}
	if strings.Trim(u.Path, "/") != "" && strings.Trim(u.Path, "/") != "0" {
		return "", fmt.Errorf("a cluster has only database 0")
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
	}
	if u.Scheme == "rediss" {
		tls, err := redis.ParseURL(node)
		if err != nil {
			return "", fmt.Errorf("is not a valid Redis URL")
		}
		o.TLSConfig = tls.TLSConfig
	}
	return u.Host, nil
}

// openRedis connects to the configured Redis, or starts an in-process one
// when none is configured. The returned function closes what it opened.
func openRedis(ctx context.Context, cfg *Config, log *slog.Logger) (
	redis.UniversalClient, func(), error) {
	if cfg.Redis != nil {
		rdb := redis.NewUniversalClient(cfg.Redis.Options)
		warnIfDown(ctx, rdb, log)
		return rdb, func() { _ = rdb.Close() }, nil
	}

	mr := miniredis.NewMiniRedis()
	mr.ClockTTL(true) // keys expire in real time, as in Redis
	if err := mr.Start(); err != nil {
		return nil, nil, fmt.Errorf("start in-process Redis: %w", err)
	}
	log.Warn("using in-process Redis; it is for trying xuewu out only and " +
		"forgets everything when xuewu stops")
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{mr.Addr()}})
	return rdb, func() { _ = rdb.Close(); mr.Close() }, nil
}

// warnIfDown logs a warning when Redis does not answer at start-up. The
// server starts all the same; /readyz reports Redis down until it answers.
func warnIfDown(ctx context.Context, rdb redis.UniversalClient, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		log.Warn("Redis does not answer", "error", err)
	}
}
