package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonList splits a JSON document into its items without decoding them, so one
// bad item costs that item and a document cut off part way still gives the items
// before the cut. The document is either an array of items, or an object whose
// member key holds the array; any other object is returned in top with no items
// (a single ninjs item is such an object).
//
// top holds the object's members other than key (nil for an array). broken is
// the error the document broke with after the returned items; err is a document
// that is no list at all.
func jsonList(body []byte, key string) (top map[string]json.RawMessage, items []json.RawMessage, broken, err error) {
	d := json.NewDecoder(bytes.NewReader(body))
	tok, err := d.Token()
	if err != nil {
		return nil, nil, nil, err
	}
	switch tok {
	case json.Delim('['):
		items, broken = jsonArray(d)
		return nil, items, broken, nil
	case json.Delim('{'):
	default:
		return nil, nil, nil, fmt.Errorf("document is a JSON %s, not an object or a list", jsonKind(tok))
	}
	top = make(map[string]json.RawMessage)
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return top, items, err, nil
		}
		name, _ := t.(string)
		if name == key {
			v, err := d.Token()
			if err != nil {
				return top, items, err, nil
			}
			switch v {
			case nil: // "items": null is an empty list
				continue
			case json.Delim('['):
			default:
				return top, nil, nil, fmt.Errorf("member %q is a JSON %s, not a list", key, jsonKind(v))
			}
			var more []json.RawMessage
			more, broken = jsonArray(d)
			items = append(items, more...)
			if broken != nil {
				return top, items, broken, nil
			}
			continue
		}
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return top, items, err, nil
		}
		top[name] = raw
	}
	if _, err := d.Token(); err != nil {
		return top, items, err, nil
	}
	return top, items, nil, nil
}

// jsonArray reads the elements of the array whose '[' was just read, stopping
// at the first that does not decode.
func jsonArray(d *json.Decoder) (elems []json.RawMessage, broken error) {
	for d.More() {
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return elems, err
		}
		elems = append(elems, raw)
	}
	if _, err := d.Token(); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return elems, err
	}
	return elems, nil
}

// jsonKind names the JSON type of a value or of the token opening it, for messages.
func jsonKind(v any) string {
	switch t := v.(type) {
	case json.Delim:
		if t == '[' {
			return "list"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// rawKind names the JSON type of a raw value.
func rawKind(raw json.RawMessage) string {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "list"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
