package qrtoken

// Names the tests written before the suite seam use: the default suite's layout.
const (
	formatVersion = defaultSuiteID
	offlineEncLen = 32 // DHKEM(X25519) encapsulated key
)
