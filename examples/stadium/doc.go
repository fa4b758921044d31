// Command stadium demonstrates real-name ticket checking at a stadium gate (实名制检票)
// with rotating, encrypted QR identity codes from package qrtoken.
//
// A ticket office sells real-name tickets: each ticket is bound to an event and to its
// holder's name and (masked) ID number. Each holder's wallet (package wallet) is linked
// once, with the token of the decision on a document check of their ID card; the
// holder's phone presents the ID card from it as a stadium-gate code
// ([qrtoken.PurposeStadiumGate]) that carries the name and masked ID number from the
// card and the event and ticket reference from the request, and changes every minute. Two gate readers of the same
// stadium share one replay guard; each opens the code, then checks that the ticket
// exists, is for the gate's event, belongs to the person the code identifies and has
// not been used to enter yet.
//
// The scripted scenarios show what the gate accepts and what it refuses, and why: a
// code replayed at the same gate and at the other gate, an internet-cafe code, a
// screenshot shown after the code rotated, a phone whose clock runs ahead, a code for
// another event, a fresh code for a ticket that was already used, and a tampered code.
// Time is simulated with an injected clock, so the demo runs instantly. Only masked
// personal data is printed; every person and number is synthetic (idcard.Generate).
//
// Run it with no set-up:
//
//	go run ./examples/stadium
//	go run ./examples/stadium -qr   # also draw the first code as a QR symbol
package main
