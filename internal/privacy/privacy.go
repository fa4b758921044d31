// Package privacy holds the library-wide check that personal data never leaves a value of
// the library in clear: its test finds every exported type of the public packages that
// has a personal-data field and prints a fixed person's values through every output a
// host might use (fmt verbs, log/slog handlers, encoding/json, encoding.TextMarshaler).
// A new type with such a field fails that test until it masks and is listed there.
package privacy

import (
	"encoding/hex"
	"strings"
)

// Leaks returns the secrets that appear in out, as they are or hex-encoded (the %x verb
// of a string), in the order given.
func Leaks(out string, secrets ...string) []string {
	var found []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(out, s) || strings.Contains(strings.ToLower(out), hex.EncodeToString([]byte(s))) {
			found = append(found, s)
		}
	}
	return found
}
