package qrtoken

import (
	"fmt"
	"log/slog"
)

// The secret key types print their ID only: no verb, flag, log handler or encoder reaches
// the key material.

// String returns the key ID with the secret redacted.
func (k SecretKey) String() string {
	return fmt.Sprintf("qrtoken.SecretKey{ID: %d, Secret: [redacted]}", k.ID)
}

// GoString returns the same as String.
func (k SecretKey) GoString() string { return k.String() }

// Format writes String for every verb.
func (k SecretKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// LogValue logs the key ID only.
func (k SecretKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText writes String: a secret key is never encoded by the library.
func (k SecretKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// String returns the key ID with the private key redacted.
func (k SigningKey) String() string {
	return fmt.Sprintf("qrtoken.SigningKey{ID: %d, Key: [redacted]}", k.ID)
}

// GoString returns the same as String.
func (k SigningKey) GoString() string { return k.String() }

// Format writes String for every verb.
func (k SigningKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// LogValue logs the key ID only.
func (k SigningKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText writes String: a private key is never encoded by the library.
func (k SigningKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// String returns the key ID with the private key redacted.
func (k GroupPrivateKey) String() string {
	return fmt.Sprintf("qrtoken.GroupPrivateKey{ID: %d, Key: [redacted]}", k.ID)
}

// GoString returns the same as String.
func (k GroupPrivateKey) GoString() string { return k.String() }

// Format writes String for every verb.
func (k GroupPrivateKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// LogValue logs the key ID only.
func (k GroupPrivateKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText writes String: a private key is never encoded by the library.
func (k GroupPrivateKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// String returns the key ID with the private key redacted.
func (k VenueKey) String() string {
	return fmt.Sprintf("qrtoken.VenueKey{ID: %d, Key: [redacted]}", k.ID)
}

// GoString returns the same as String.
func (k VenueKey) GoString() string { return k.String() }

// Format writes String for every verb.
func (k VenueKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// LogValue logs the key ID only.
func (k VenueKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText writes String: a private key is never encoded by the library.
func (k VenueKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }
