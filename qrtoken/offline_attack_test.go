package qrtoken

import (
	"crypto/hpke"
	"errors"
	"testing"
)

// TestOfflineGroupMemberCannotReissue attacks offline mode from inside a reader group: a
// member holds the group private key, so it can decrypt a code it received and encrypt
// the issuer-signed claims again, either to its own group (a fresh code with a new
// encapsulated key, which would have a new replay identity) or to another group (a code
// forwarded to readers the holder never showed it to). Both must fail authentication,
// because the signature covers the encapsulated key and the recipient group's key.
func TestOfflineGroupMemberCannotReissue(t *testing.T) {
	e := newEnv(t)
	// The same key ID as the holder's group, so that only the signed group key tells them apart.
	other := testGroupKey(t, 7, "other group")
	sk := testSigningKey(3, "issuer")
	otherReader, err := NewReader(ReaderConfig{
		Purposes:   []Purpose{PurposeInternetCafe()},
		IssuerKeys: []IssuerPublicKey{sk.Public()},
		GroupKeys:  []GroupPrivateKey{other},
		Now:        e.readerClock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := DecodeBase45(e.issueOffline(t, cafeClaims(), PurposeInternetCafe()))
	if err != nil {
		t.Fatal(err)
	}
	header := b[:offlineHeaderLen]
	enc := b[offlineHeaderLen : offlineHeaderLen+offlineEncLen]
	// The member decrypts, as its reader does.
	rcpt, err := hpke.NewRecipient(enc, e.group.Key.(hpke.PrivateKey), offlineKDF, offlineAEAD, offlineInfo(header, PurposeInternetCafe().binding()))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := rcpt.Open(header, b[offlineHeaderLen+offlineEncLen:])
	if err != nil {
		t.Fatal(err)
	}
	reencrypt := func(to GroupPublicKey) string {
		h := append([]byte(nil), header...)
		h[3] = to.ID
		enc, sender, err := hpke.NewSender(to.Key.(hpke.PublicKey), offlineKDF, offlineAEAD, offlineInfo(h, PurposeInternetCafe().binding()))
		if err != nil {
			t.Fatal(err)
		}
		ct, err := sender.Seal(h, signed)
		if err != nil {
			t.Fatal(err)
		}
		return EncodeBase45(append(append(h, enc...), ct...))
	}
	for name, tc := range map[string]struct {
		r    *Reader
		text string
	}{
		"re-encrypted to the same group": {e.reader, reencrypt(e.group.Public())},
		"forwarded to another group":     {otherReader, reencrypt(other.Public())},
	} {
		if _, err := tc.r.Open(t.Context(), tc.text); !errors.Is(err, ErrNotAuthentic) {
			t.Errorf("%s: Open = %v, want ErrNotAuthentic", name, err)
		}
	}
}
