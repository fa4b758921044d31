// Package qrtoken issues and opens time-rotated, encrypted QR identity codes.
//
// (Full documentation follows in doc.go; this is a working state.)
package qrtoken
