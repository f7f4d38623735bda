package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/config"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnvDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.FromEnv(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != config.DefaultDB || c.Listen != config.DefaultListen || c.ShutdownTimeout != config.DefaultShutdownTimeout {
		t.Fatalf("defaults not applied: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if got := c.EffectiveRescueAfter(); got != config.DefaultJobTimeout+time.Minute {
		t.Fatalf("rescue after %v", got)
	}
	if got := c.EffectivePublicURL(); got != "http://127.0.0.1:8080" {
		t.Fatalf("public url %q", got)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want []string // each must appear in the error; none means valid
	}{
		{"valid postgres", map[string]string{"FIELDBRIDGE_DB": "postgres://u@h/db"}, nil},
		{"bad scheme", map[string]string{"FIELDBRIDGE_DB": "mysql://h"}, []string{"FIELDBRIDGE_DB: unknown scheme"}},
		{"sqlite without path", map[string]string{"FIELDBRIDGE_DB": "sqlite:"}, []string{"FIELDBRIDGE_DB: sqlite: needs a file path"}},
		{"postgres without host", map[string]string{"FIELDBRIDGE_DB": "postgres:///db"}, []string{"FIELDBRIDGE_DB: postgres: the URL names no host"}},
		{"two problems at once", map[string]string{"FIELDBRIDGE_LISTEN": "nope", "FIELDBRIDGE_LOG_LEVEL": "loud"},
			[]string{"FIELDBRIDGE_LISTEN", "FIELDBRIDGE_LOG_LEVEL"}},
		{"bad format", map[string]string{"FIELDBRIDGE_LOG_FORMAT": "xml"}, []string{"FIELDBRIDGE_LOG_FORMAT"}},
		{"rescue shorter than timeout", map[string]string{"FIELDBRIDGE_JOB_TIMEOUT": "5m", "FIELDBRIDGE_RESCUE_AFTER": "1m"}, []string{"FIELDBRIDGE_RESCUE_AFTER"}},
		{"bad public url", map[string]string{"FIELDBRIDGE_PUBLIC_URL": "example.com"}, []string{"FIELDBRIDGE_PUBLIC_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.FromEnv(envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestFromEnvBadDuration(t *testing.T) {
	t.Parallel()
	_, err := config.FromEnv(envOf(map[string]string{"FIELDBRIDGE_JOB_TIMEOUT": "forever"}))
	if err == nil || !strings.Contains(err.Error(), "FIELDBRIDGE_JOB_TIMEOUT") {
		t.Fatalf("got %v", err)
	}
}

func TestHeapBudget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want uint64
		err  string
	}{
		{"default", nil, config.DefaultHeapBudgetMB << 20, ""},
		{"set", map[string]string{"FIELDBRIDGE_HEAP_BUDGET_MB": "64"}, 64 << 20, ""},
		{"off", map[string]string{"FIELDBRIDGE_HEAP_BUDGET_MB": "0"}, 0, ""},
		{"GOGC rules", map[string]string{"GOGC": "200"}, 0, ""},
		{"GOMEMLIMIT rules", map[string]string{"GOMEMLIMIT": "1GiB", "FIELDBRIDGE_HEAP_BUDGET_MB": "64"}, 0, ""},
		{"not a number", map[string]string{"FIELDBRIDGE_HEAP_BUDGET_MB": "lots"}, 0, "FIELDBRIDGE_HEAP_BUDGET_MB"},
		{"negative", map[string]string{"FIELDBRIDGE_HEAP_BUDGET_MB": "-1"}, 0, "FIELDBRIDGE_HEAP_BUDGET_MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.FromEnv(envOf(tt.env))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one naming %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.HeapBudget(); got != tt.want {
				t.Fatalf("HeapBudget() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestMasterKeySources(t *testing.T) {
	t.Parallel()
	both := config.Config{MasterKey: "a", MasterKeyFile: "b"}
	if err := both.ValidateMasterKey(); err == nil {
		t.Fatal("both sources accepted")
	}
	if err := (config.Config{}).ValidateMasterKey(); err == nil || !strings.Contains(err.Error(), "FIELDBRIDGE_MASTER_KEY") {
		t.Fatalf("missing key: %v", err)
	}
}

func TestRedactDSN(t *testing.T) {
	t.Parallel()
	got := config.RedactDSN("postgres://bob:hunter2@db:5432/fb")
	if strings.Contains(got, "hunter2") || !strings.Contains(got, "bob") {
		t.Fatalf("RedactDSN = %q", got)
	}
}

func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"sqlite:x.db", "postgres://u:p@h/d", "", "sqlite:", "postgres://%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _, _ = config.ParseDSN(s)
		_ = config.RedactDSN(s)
	})
}
