package qrtoken_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hpke"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/trustid/trustid/qrtoken"
)

// TestSecretKeysNeverPrinted: %v of a SecretKey printed its secret bytes, and of a
// SigningKey or VenueKey the private key.
func TestSecretKeysNeverPrinted(t *testing.T) {
	secret := bytes.Repeat([]byte{0xAB}, 32)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0xCD}, 32))
	group, err := qrtoken.GenerateGroupKey(3)
	if err != nil {
		t.Fatal(err)
	}
	groupBytes, err := group.Key.(hpke.PrivateKey).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key    any
		secret []byte
	}{
		{qrtoken.SecretKey{ID: 1, Secret: secret}, secret},
		{qrtoken.SigningKey{ID: 2, Key: priv}, priv.Seed()},
		{qrtoken.VenueKey{ID: 4, Key: priv}, priv.Seed()},
		{group, groupBytes},
	} {
		var outs []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q"} {
			outs = append(outs, fmt.Sprintf(verb, tc.key), fmt.Sprintf(verb, &tc.key))
		}
		var b bytes.Buffer
		slog.New(slog.NewJSONHandler(&b, nil)).Info("k", "key", tc.key)
		slog.New(slog.NewTextHandler(&b, nil)).Info("k", "key", tc.key)
		j, _ := json.Marshal(tc.key)
		outs = append(outs, b.String(), string(j))
		for _, out := range outs {
			low := strings.ToLower(out)
			if strings.Contains(low, hex.EncodeToString(tc.secret[:8])) || strings.Contains(out, string(tc.secret[:8])) ||
				strings.Contains(out, fmt.Sprint(tc.secret[:8])[1:20]) {
				t.Errorf("%T printed its secret: %s", tc.key, out)
			}
		}
	}
}
