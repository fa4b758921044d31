package qrtoken_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/trustid/trustid/qrtoken"
)

// Example shows an internet cafe's online flow: the wallet service issues a code for the
// cafe purpose, the cafe's reader opens it once. Keys and clock are fixed so that the
// output is reproducible; real deployments leave Now unset.
func Example() {
	ctx := context.Background()
	master := sha256.Sum256([]byte("example master key - use 32 bytes from crypto/rand"))
	now := func() time.Time { return time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC) }

	issuer, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{
		Key: &qrtoken.SecretKey{ID: 1, Secret: master[:]},
		Now: now,
	})
	if err != nil {
		panic(err)
	}
	code, err := issuer.Issue(ctx, qrtoken.Claims{Name: "张三", IDNumber: "11010519491231002X"}, qrtoken.PurposeInternetCafe())
	if err != nil {
		panic(err)
	}
	version, _ := qrtoken.Version(code.Text(), qrtoken.RecoveryM)
	fmt.Printf("%d characters, QR version %d at level M\n", len(code.Text()), version)

	reader, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:     []qrtoken.SecretKey{{ID: 1, Secret: master[:]}},
		Now:      func() time.Time { return now().Add(45 * time.Second) }, // scanned in the next window
	})
	if err != nil {
		panic(err)
	}
	opened, err := reader.Open(ctx, code.Text())
	if err != nil {
		panic(err)
	}
	over18, _ := opened.Claims.IsOver(18)
	fmt.Println(opened.Purpose, "key", opened.KeyID, "window", opened.Window.Start.Format(time.TimeOnly), "over 18:", over18)
	fmt.Println(opened.Claims) // masked
	fmt.Println(opened.Claims.IDNumber == "11010519491231002X")

	_, err = reader.Open(ctx, code.Text())
	fmt.Println(err)
	// Output:
	// 69 characters, QR version 4 at level M
	// internet-cafe(1) key 1 window 08:00:00 over 18: true
	// Claims{name:张* id_number:110105********002X age_over_18:true}
	// true
	// qrtoken: replayed
}

// Example_checkIn shows the reverse flow: the terminal shows a signed challenge, the wallet
// answers it with a check-in, the service verifies both.
func Example_checkIn() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC) }
	master := sha256.Sum256([]byte("example master key"))
	venueSeed := sha256.Sum256([]byte("example venue key"))
	venueKey := qrtoken.VenueKey{ID: 1, Key: ed25519.NewKeyFromSeed(venueSeed[:])}

	terminal, _ := qrtoken.NewVenue(qrtoken.VenueConfig{Key: venueKey, VenueID: 440305, TerminalID: 12, Now: now})
	challenge, _ := terminal.Challenge(ctx)

	wallet, _ := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrtoken.SecretKey{ID: 1, Secret: master[:]}, Now: now})
	seen, _ := qrtoken.ParseVenueChallenge(challenge.Text()) // shown to the holder before answering
	fmt.Println("checking in at venue", seen.VenueID, "terminal", seen.TerminalID)
	checkIn, err := wallet.IssueCheckIn(ctx, challenge.Text(), qrtoken.Claims{Name: "张三", IDNumber: "11010519491231002X"}, qrtoken.PurposeInternetCafe())
	if err != nil {
		panic(err)
	}

	service, _ := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:  []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:      []qrtoken.SecretKey{{ID: 1, Secret: master[:]}},
		VenueKeys: []qrtoken.VenuePublicKey{venueKey.Public(440305)},
		Now:       now,
	})
	opened, err := service.OpenCheckIn(ctx, checkIn.Text())
	if err != nil {
		panic(err)
	}
	fmt.Println(opened.Mode, opened.Venue.VenueID, opened.Venue.TerminalID, opened.Claims)
	_, err = service.OpenCheckIn(ctx, checkIn.Text())
	fmt.Println(err)
	// Output:
	// checking in at venue 440305 terminal 12
	// check-in 440305 12 Claims{name:张* id_number:110105********002X age_over_18:true}
	// qrtoken: replayed
}

// Example_offline shows offline mode: the issuer signs and encrypts to a reader group's
// public key; a reader without network access opens it with the group key.
func Example_offline() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC) }
	seed := sha256.Sum256([]byte("example issuer signing key"))
	signing := qrtoken.SigningKey{ID: 1, Key: ed25519.NewKeyFromSeed(seed[:])}
	group, err := qrtoken.GenerateGroupKey(5)
	if err != nil {
		panic(err)
	}
	issuer, _ := qrtoken.NewIssuer(qrtoken.IssuerConfig{SigningKey: &signing, Now: now})
	code, err := issuer.IssueOffline(ctx, qrtoken.Claims{Name: "张三", IDNumber: "11010519491231002X"}, qrtoken.PurposeInternetCafe(), group.Public())
	if err != nil {
		panic(err)
	}
	reader, _ := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:   []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		IssuerKeys: []qrtoken.IssuerPublicKey{signing.Public()},
		GroupKeys:  []qrtoken.GroupPrivateKey{group},
		Now:        now,
	})
	opened, err := reader.Open(ctx, code.Text())
	if err != nil {
		panic(err)
	}
	version, _ := qrtoken.Version(code.Text(), qrtoken.RecoveryM)
	fmt.Println(opened.Mode, "issuer key", opened.KeyID, "group key", opened.GroupKeyID, "version", version)
	fmt.Println(opened.Claims)
	// Output:
	// offline issuer key 1 group key 5 version 8
	// Claims{name:张* id_number:110105********002X age_over_18:true}
}
