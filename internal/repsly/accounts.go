package repsly

import (
	"context"
	"fmt"
	"strings"
)

// AccountImport is a place-account (a chain or head office) as posted to
// import/account; Code is the key, Code and Name are required.
type AccountImport struct {
	Code    string `json:"Code"`
	Name    string `json:"Name"`
	Active  *bool  `json:"Active,omitempty"`
	LogoURL string `json:"LogoUrl,omitempty"`
}

// ImportAccounts upserts accounts and waits for the job(s).
func (c *Client) ImportAccounts(ctx context.Context, accounts []AccountImport) (ImportResult, error) {
	for _, a := range accounts {
		if strings.TrimSpace(a.Code) == "" || strings.TrimSpace(a.Name) == "" {
			return ImportResult{}, fmt.Errorf("repsly: import accounts: account %q: Code and Name are required: %w", a.Code, ErrValidation)
		}
	}
	return runImport(ctx, c, "import_account", "import_accounts", accounts)
}
