package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Driver names the database family a DSN points at.
type Driver string

// The two supported database families.
const (
	DriverSQLite   Driver = "sqlite"
	DriverPostgres Driver = "postgres"
)

// ParseDSN splits a FIELDBRIDGE_DB value into its driver and the address the
// driver understands: a file path for SQLite, the URL for PostgreSQL. It
// never echoes a password back in its errors.
func ParseDSN(dsn string) (Driver, string, error) {
	switch {
	case dsn == "":
		return "", "", errors.New("empty; use sqlite:PATH or postgres://USER@HOST/DB")
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return "", "", errors.New("sqlite: needs a file path, as in sqlite:/var/lib/fieldbridge/fb.db")
		}
		if strings.ContainsAny(path, "?#") {
			return "", "", errors.New("sqlite: the path must not carry query parameters; Fieldbridge sets its own pragmas")
		}
		return DriverSQLite, path, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", errors.New("postgres: not a valid URL")
		}
		if u.Host == "" {
			return "", "", errors.New("postgres: the URL names no host")
		}
		return DriverPostgres, dsn, nil
	default:
		scheme, _, _ := strings.Cut(dsn, ":")
		if len(scheme) > 20 {
			scheme = scheme[:20]
		}
		return "", "", fmt.Errorf("unknown scheme %q; use sqlite:PATH or postgres://USER@HOST/DB", scheme)
	}
}

// RedactDSN returns dsn with any password replaced, for logs and errors.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	return u.String()
}
