package vault_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/fieldbridge/fieldbridge/internal/vault"
)

func ExampleKeyring_Seal() {
	ctx := context.Background()
	master, _ := vault.GenerateKey() // in production: vault.LoadMasterKey(os.Getenv)
	ring, _ := vault.LoadKeyring(ctx, vault.Config{Master: master, Store: &vault.MemoryKeyStore{}})

	// The aad names the owning row and field.
	sealed, _ := ring.Seal("connection:42:refresh_token", []byte("rt-123"))
	plaintext, _ := ring.Open("connection:42:refresh_token", sealed)
	fmt.Println(string(plaintext))

	// The same ciphertext in another row does not decrypt.
	_, err := ring.Open("connection:43:refresh_token", sealed)
	fmt.Println(err != nil)
	// Output:
	// rt-123
	// true
}

func ExampleKeyring_Rotate() {
	ctx := context.Background()
	master, _ := vault.GenerateKey()
	ring, _ := vault.LoadKeyring(ctx, vault.Config{Master: master, Store: &vault.MemoryKeyStore{}})

	rows := map[string]string{}
	rows["connection:1:token"], _ = ring.Seal("connection:1:token", []byte("t1"))
	rows["connection:2:token"], _ = ring.Seal("connection:2:token", []byte("t2"))

	// The store implements the iterator, one transaction per row.
	each := func(ctx context.Context, fn func(aad, sealed string) (string, error)) error {
		for _, aad := range []string{"connection:1:token", "connection:2:token"} {
			resealed, err := fn(aad, rows[aad])
			if err != nil {
				return err
			}
			rows[aad] = resealed
		}
		return nil
	}
	res, _ := ring.Rotate(ctx, each)
	fmt.Println(res.Reencrypted, ring.NeedsRotation(rows["connection:1:token"]))
	// Output: 2 false
}

func ExampleSecret() {
	password := vault.NewSecret("hunter2")
	fmt.Println(password)
	fmt.Printf("%#v\n", password)

	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	log.Info("connecting", "password", password)
	fmt.Println(password.Reveal())
	// Output:
	// REDACTED
	// vault.Secret("REDACTED")
	// level=INFO msg=connecting password=REDACTED
	// hunter2
}
