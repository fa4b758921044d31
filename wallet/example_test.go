package wallet_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/wallet"
)

// The whole journey: the token of a passing decision links the person's credentials
// from the registries into a sealed wallet, once; the ID card is shown as a QR identity
// code; the reader opens it and checks online; the card is reported lost and can no
// longer be shown. 11010519491231002X is the example number of GB 11643-1999. To stay
// short the example decides on the document check alone (real-name level); a wallet's
// default RequiredLevel is real-person, reached after a liveness check.
func Example() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }
	const idNumber = "11010519491231002X"
	holder := wallet.Holder{Name: "张三", Address: "北京市朝阳区建国路88号", Gender: idcard.Female}

	registry := wallet.NewMemorySource()
	registry.Set(idNumber,
		wallet.Credential{Kind: verify.KindIDCard, Number: idNumber, Holder: holder, Authority: "北京市公安局朝阳分局",
			ValidFrom: verify.Date{Year: 2016, Month: 5, Day: 1}, LongTerm: true, Status: wallet.StatusActive},
		wallet.Credential{Kind: verify.KindPassport, Number: "E12345678", Holder: holder,
			ValidFrom:  verify.Date{Year: 2019, Month: 1, Day: 10},
			ValidUntil: verify.Date{Year: 2029, Month: 1, Day: 9}, Status: wallet.StatusActive},
	)
	sealed, _ := wallet.NewSealedStore(wallet.NewMemoryStore(), store.Key{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)})
	qrKey := qrtoken.SecretKey{ID: 1, Secret: bytes.Repeat([]byte{2}, 32)}
	issuer, _ := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrKey, Now: now})
	// The checker that decides seals its decisions under its Keys; the wallet opens
	// them with the same checker's sealer (or one built from the same keys).
	people, _ := verify.NewMemoryRegistry(verify.Record{Kind: verify.KindIDCard, Number: idNumber, Name: "张三",
		Status: verify.StatusValid, ValidFrom: verify.Date{Year: 2016, Month: 5, Day: 1}, LongTerm: true})
	checker, err := verify.New(verify.Config{Registry: people, Now: now, SubjectKey: bytes.Repeat([]byte{4}, 32),
		Keys: []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{5}, 32)}}, Policy: verify.Policy{Required: verify.LevelRealName}})
	if err != nil {
		panic(err)
	}
	w, err := wallet.New(wallet.Config{
		Source: registry, Store: sealed, Issuer: issuer, Now: now, Decisions: checker.Decisions(),
		IndexKey: bytes.Repeat([]byte{3}, 32), RequiredLevel: verify.LevelRealName,
	})
	if err != nil {
		panic(err)
	}
	me := wallet.HolderRef{IDNumber: idNumber}

	// A decision built by hand is refused before the registry is asked.
	forged := verify.Decision{Outcome: verify.OutcomePass, Level: verify.LevelHigh, Subject: "someone"}
	_, err = w.Link(ctx, wallet.LinkRequest{Decision: forged.Token, Holder: me})
	fmt.Println("hand-built decision:", err)

	doc, err := checker.CheckDocument(ctx, verify.Claim{Kind: verify.KindIDCard, Number: idNumber, Name: "张三"})
	if err != nil {
		panic(err)
	}
	decision := checker.Decide(doc, nil, nil)
	res, err := w.Link(ctx, wallet.LinkRequest{Decision: decision.Token, Holder: me})
	if err != nil {
		panic(err)
	}
	fmt.Println("linked:", len(res.Changes))
	_, err = w.Link(ctx, wallet.LinkRequest{Decision: decision.Token, Holder: me})
	fmt.Println("the same decision again:", err)
	creds, _ := w.Credentials(ctx, me)
	for _, c := range creds {
		fmt.Println(c.Kind, c)
	}

	id := creds[0]
	p, err := w.Present(ctx, wallet.PresentRequest{Holder: me, Handle: id.Handle, Purpose: qrtoken.PurposeInternetCafe()})
	if err != nil {
		panic(err)
	}
	reader, _ := qrtoken.NewReader(qrtoken.ReaderConfig{Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys: []qrtoken.SecretKey{qrKey}, Now: now})
	opened, err := reader.Open(ctx, p.Code.Text())
	if err != nil {
		panic(err)
	}
	over18, _ := opened.Claims.IsOver(18)
	status, err := w.CheckPresented(ctx, p.Code.Text())
	fmt.Println("reader: over 18:", over18, "status:", status.Status, err)

	_ = w.SetStatus(ctx, id.Handle, wallet.StatusReportedLost, "holder-app")
	_, err = w.CheckPresented(ctx, p.Code.Text())
	fmt.Println("reader after loss:", err)
	_, err = w.Present(ctx, wallet.PresentRequest{Holder: me, Handle: id.Handle, Purpose: qrtoken.PurposeInternetCafe()})
	fmt.Println("present again:", err)

	history, _ := w.History(ctx, me)
	for _, e := range history {
		fmt.Println(e.Type, e.Kind, e.Actor)
	}
	// Output:
	// hand-built decision: wallet: link: decision_not_authentic
	// linked: 2
	// the same decision again: wallet: link: decision_used
	// id-card {Kind:id-card Number:110105********002X Holder:{Name:张* Address:[12 chars]} Status:active Level:real-name Valid:2016-05-01..long-term Handle:f7Pzo2fvFV…}
	// passport {Kind:passport Number:E1*****78 Holder:{Name:张* Address:[12 chars]} Status:active Level:real-name Valid:2019-01-10..2029-01-09 Handle:nOVxk683TC…}
	// reader: over 18: true status: active <nil>
	// reader after loss: wallet: check-presented: reported_lost (id-card)
	// present again: wallet: present: reported_lost (id-card)
	// linked id-card holder
	// linked passport holder
	// presented id-card holder
	// reported-lost id-card holder-app
}
