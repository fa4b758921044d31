module github.com/trustid/trustid/smsuite

go 1.26.0

require (
	github.com/emmansun/gmsm v0.44.0
	github.com/google/go-cmp v0.7.0
	github.com/trustid/trustid v0.0.0
)

require (
	github.com/skip2/go-qrcode v0.0.0-20200617195104-da1b6568686e // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)
