package smsuite_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/smsuite"
)

// The internet-cafe code under the SM suite: the wallet service issues it with SM4-GCM
// under an HKDF-SM3 window key, the cafe's reader opens it, and it still fits QR version 4
// at level M.
func Example() {
	ctx := context.Background()
	key := qrtoken.SecretKey{ID: 1, Secret: make([]byte, 32)}
	rand.Read(key.Secret)
	now := func() time.Time { return time.Date(2026, 11, 22, 9, 0, 30, 0, time.UTC) }

	issuer, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &key, Suite: smsuite.Suite{}, Now: now})
	if err != nil {
		log.Fatal(err)
	}
	reader, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:       []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:           []qrtoken.SecretKey{key},
		RequireAgeOver: 18,
		Suite:          smsuite.Suite{},
		Now:            now,
	})
	if err != nil {
		log.Fatal(err)
	}

	code, err := issuer.Issue(ctx, qrtoken.Claims{Name: "张三", IDNumber: "11010519491231002X"}, qrtoken.PurposeInternetCafe())
	if err != nil {
		log.Fatal(err)
	}
	version, err := qrtoken.Version(code.Text(), qrtoken.RecoveryM)
	if err != nil {
		log.Fatal(err)
	}
	opened, err := reader.Open(ctx, code.Text())
	if err != nil {
		log.Fatal(err)
	}
	over18, _ := opened.Claims.IsOver(18)
	fmt.Println("QR version at level M:", version)
	fmt.Println("opened:", opened.Purpose.Name, "over 18:", over18)

	// A reader of the default suite, with the same key, refuses the SM code.
	defaultReader, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:     []qrtoken.SecretKey{key},
		Now:      now,
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = defaultReader.Open(ctx, code.Text())
	fmt.Println("default-suite reader:", errors.Is(err, qrtoken.ErrWrongSuite))
	// Output:
	// QR version at level M: 4
	// opened: internet-cafe over 18: true
	// default-suite reader: true
}
