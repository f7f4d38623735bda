package app

import (
	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// LoadMasterKey reads and checks the master key named by cfg: the value,
// or the file, which must be readable by its owner only.
func LoadMasterKey(cfg config.Config) (vault.MasterKey, error) {
	if err := cfg.ValidateMasterKey(); err != nil {
		return vault.MasterKey{}, err
	}
	return vault.LoadMasterKey(func(name string) string {
		switch name {
		case vault.EnvMasterKey:
			return cfg.MasterKey
		case vault.EnvMasterKeyFile:
			return cfg.MasterKeyFile
		}
		return ""
	})
}
