package relyingparty

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/trustid/trustid/internal/mask"
)

// The request and response types (Pending and Approval included) carry codes, verifiers,
// secrets and tokens: they print, log and (except TokenResponse, whose JSON is the token
// endpoint's wire format) marshal without them.

func (r TokenRequest) masked() string {
	return "relyingparty.TokenRequest{ClientID: " + strconv.Quote(r.ClientID) + "}"
}

// String writes no code, verifier or secret.
func (r TokenRequest) String() string { return r.masked() }

// GoString writes no code, verifier or secret.
func (r TokenRequest) GoString() string { return r.masked() }

// LogValue logs the client ID only.
func (r TokenRequest) LogValue() slog.Value { return slog.StringValue(r.masked()) }

// MarshalJSON writes the client ID only.
func (r TokenRequest) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(r.masked())), nil }

func (r ApproveRequest) masked() string {
	return fmt.Sprintf("relyingparty.ApproveRequest{Consent: %v, Notice: %q}", r.Consent, r.Notice)
}

// String writes no token.
func (r ApproveRequest) String() string { return r.masked() }

// GoString writes no token.
func (r ApproveRequest) GoString() string { return r.masked() }

// LogValue logs no token.
func (r ApproveRequest) LogValue() slog.Value { return slog.StringValue(r.masked()) }

// MarshalJSON writes no token.
func (r ApproveRequest) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(r.masked())), nil }

func (t TokenResponse) masked() string {
	return fmt.Sprintf("relyingparty.TokenResponse{ExpiresIn: %d}", t.ExpiresIn)
}

// String writes no token.
func (t TokenResponse) String() string { return t.masked() }

// GoString writes no token.
func (t TokenResponse) GoString() string { return t.masked() }

// LogValue logs no token.
func (t TokenResponse) LogValue() slog.Value { return slog.StringValue(t.masked()) }

func (c Client) masked() string {
	return fmt.Sprintf("relyingparty.Client{ID: %q, Name: %q, Sector: %q}", c.ID, c.Name, c.Sector)
}

// String never writes the secret.
func (c Client) String() string { return c.masked() }

// GoString never writes the secret.
func (c Client) GoString() string { return c.masked() }

// LogValue never logs the secret.
func (c Client) LogValue() slog.Value { return slog.StringValue(c.masked()) }

func (a Approval) masked() string {
	return fmt.Sprintf("relyingparty.Approval{Consent: %q}", a.Consent)
}

// String writes no code (neither Code nor the redirect that carries it).
func (a Approval) String() string { return a.masked() }

// GoString writes no code.
func (a Approval) GoString() string { return a.masked() }

// Format writes no code, for every verb.
func (a Approval) Format(f fmt.State, verb rune) { mask.Format(f, verb, a.masked(), a.masked()) }

// LogValue logs no code.
func (a Approval) LogValue() slog.Value { return slog.StringValue(a.masked()) }

// MarshalJSON writes no code.
func (a Approval) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(a.masked())), nil }

func (p Pending) masked() string {
	return fmt.Sprintf("relyingparty.Pending{ClientID: %q, ClientName: %q, Claims: %v, Purpose: %q}",
		p.ClientID, p.ClientName, p.Claims, p.Purpose)
}

// String writes no token.
func (p Pending) String() string { return p.masked() }

// GoString writes no token.
func (p Pending) GoString() string { return p.masked() }

// Format writes no token, for every verb.
func (p Pending) Format(f fmt.State, verb rune) { mask.Format(f, verb, p.masked(), p.masked()) }

// LogValue logs no token.
func (p Pending) LogValue() slog.Value { return slog.StringValue(p.masked()) }

// MarshalJSON writes no token.
func (p Pending) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(p.masked())), nil }
