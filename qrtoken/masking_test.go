package qrtoken_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify/idcard"
)

// The fixed person of the masking tests.
const (
	maskName    = "张伟"
	maskID      = "11010519491231002X"
	maskAddress = "北京市朝阳区建国路88号"
	maskTicket  = "A-12-0345"
)

// TestPersonalDataMasked checks every output of every exported type that holds personal
// data or a bearer code (E8): fmt with every verb on the value and a pointer, String,
// GoString, slog (JSON and text handlers), encoding/json and MarshalText. None may contain
// the name, the ID number or its birth date, the address, the full ticket reference or
// the code's text, in clear or hex.
func TestPersonalDataMasked(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC)
	clock := func() time.Time { return now }
	secret := sha256.Sum256([]byte("masking test"))
	venueSeed := sha256.Sum256([]byte("masking venue"))
	venueKey := qrtoken.VenueKey{ID: 1, Key: ed25519.NewKeyFromSeed(venueSeed[:])}
	terminal, err := qrtoken.NewVenue(qrtoken.VenueConfig{Key: venueKey, VenueID: 440305, TerminalID: 12, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	challenge, err := terminal.Challenge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	is, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrtoken.SecretKey{ID: 1, Secret: secret[:]}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	code, err := is.IssueCheckIn(ctx, challenge.Text(), qrtoken.Claims{Name: maskName, IDNumber: maskID, Address: maskAddress}, qrtoken.PurposeGovernmentCounter())
	if err != nil {
		t.Fatal(err)
	}
	r, err := qrtoken.NewReader(qrtoken.ReaderConfig{Purposes: []qrtoken.Purpose{qrtoken.PurposeGovernmentCounter()},
		Keys: []qrtoken.SecretKey{{ID: 1, Secret: secret[:]}}, VenueKeys: []qrtoken.VenuePublicKey{venueKey.Public(440305)}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	opened, err := r.OpenCheckIn(ctx, code.Text())
	if err != nil {
		t.Fatal(err)
	}
	all := qrtoken.Claims{Name: maskName, IDNumber: maskID, MaskedIDNumber: "110105********002X",
		BirthDate: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), Gender: idcard.Female, Address: maskAddress,
		EventID: 20261123, Ticket: maskTicket, AgeOver: []qrtoken.AgeOver{{Age: 18, Over: true}}}
	opened.Claims.Ticket = maskTicket // the counter purpose does not carry one; the type may

	secrets := []string{maskName, "伟", maskID, "19491231", "1949-12-31", maskAddress, "建国路", maskTicket, code.Text()}
	for _, s := range secrets[:len(secrets)-1] {
		secrets = append(secrets, hex.EncodeToString([]byte(s)))
	}
	values := map[string]any{
		"Claims":          all,
		"*Claims":         &all,
		"Opened":          opened,
		"*Opened":         &opened,
		"Code":            code,
		"*Code":           &code,
		"*VenueChallenge": challenge,
		"[]Claims":        []qrtoken.Claims{all},
		"struct":          struct{ C qrtoken.Claims }{all},
	}
	for name, v := range values {
		outputs := map[string]string{}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%X", "%10.3v"} {
			outputs[verb] = fmt.Sprintf(verb, v)
		}
		if s, ok := v.(fmt.Stringer); ok {
			outputs["String"] = s.String()
		}
		if s, ok := v.(fmt.GoStringer); ok {
			outputs["GoString"] = s.GoString()
		}
		if m, ok := v.(encoding.TextMarshaler); ok {
			b, err := m.MarshalText()
			if err != nil {
				t.Errorf("%s: MarshalText: %v", name, err)
			}
			outputs["MarshalText"] = string(b)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Errorf("%s: json.Marshal: %v", name, err)
		}
		outputs["json"] = string(b)
		var jb, tb bytes.Buffer
		slog.New(slog.NewJSONHandler(&jb, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&tb, nil)).Info("x", "v", v)
		outputs["slog JSON"], outputs["slog text"] = jb.String(), tb.String()
		for how, out := range outputs {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%s via %s shows %q: %s", name, how, s, out)
				}
			}
		}
	}
}
