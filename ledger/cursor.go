package ledger

import (
	"encoding/base64"
	"encoding/json"

	"backoffice"
)

// encodeCursor turns a keyset position into the opaque text a client sends
// back as Page.After. The list name travels inside, so a cursor of one list
// is refused by another.
func encodeCursor(list string, pos any) string {
	b, _ := json.Marshal(struct {
		List string `json:"l"`
		Pos  any    `json:"p"`
	}{list, pos})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor written by encodeCursor for list into pos.
func decodeCursor(s, list string, pos any) error {
	var c struct {
		List string          `json:"l"`
		Pos  json.RawMessage `json:"p"`
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err == nil && c.List == list {
		err = json.Unmarshal(c.Pos, pos)
	} else if err == nil {
		err = backoffice.Errorf(backoffice.EInvalid, "wrong list")
	}
	if err != nil {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "the page cursor is not valid for this list; start from the first page",
			Fields: map[string]string{"after": "is not a cursor of this list"}}
	}
	return nil
}
