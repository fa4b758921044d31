package smsuite

import (
	"crypto/rand"

	"github.com/emmansun/gmsm/sm2"

	"github.com/trustid/trustid/qrtoken"
)

// GenerateSigningKey returns a new SM2 issuer key for offline codes with the given ID.
// Its Key is a *sm2.PrivateKey; readers take its Public().
func GenerateSigningKey(id uint8) (qrtoken.SigningKey, error) {
	k, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return qrtoken.SigningKey{}, err
	}
	return qrtoken.SigningKey{ID: id, Key: k}, nil
}

// GenerateGroupKey returns a new SM2 reader group key with the given ID. Its Key is a
// *sm2.PrivateKey; issuers take its Public().
func GenerateGroupKey(id uint8) (qrtoken.GroupPrivateKey, error) {
	k, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return qrtoken.GroupPrivateKey{}, err
	}
	return qrtoken.GroupPrivateKey{ID: id, Key: k}, nil
}
