package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Schemas carried in the envelope's schema field. A reader accepts the exact
// schemas it knows; anything else is rejected, never guessed.
const (
	SchemaRaw        = "wirehose.raw/1"
	SchemaStory      = "wirehose.story/1"
	SchemaAppearance = "wirehose.appearance/1"
)

// ErrUnknownSchema is returned for an envelope whose schema the reader does not know,
// such as one written by a newer wirehose. It is permanent: retrying cannot help.
var ErrUnknownSchema = errors.New("unknown envelope schema")

// envelope is the JSON object on every wirehose topic: {"schema": ..., "data": {...}}.
type envelope struct {
	Schema string          `json:"schema"`
	Data   json.RawMessage `json:"data"`
}

// EncodeRaw wraps a RawItem in its envelope.
func EncodeRaw(it RawItem) ([]byte, error) { return encode(SchemaRaw, it) }

// EncodeStory wraps a Story in its envelope.
func EncodeStory(s Story) ([]byte, error) { return encode(SchemaStory, s) }

// DecodeRaw reads a RawItem envelope. Errors are permanent (see IsPermanent).
func DecodeRaw(b []byte) (RawItem, error) {
	var it RawItem
	return it, decode(b, SchemaRaw, &it)
}

// DecodeStory reads a Story envelope. Errors are permanent (see IsPermanent).
func DecodeStory(b []byte) (Story, error) {
	var s Story
	return s, decode(b, SchemaStory, &s)
}

// EncodeAppearance wraps an Appearance in its envelope.
func EncodeAppearance(a Appearance) ([]byte, error) { return encode(SchemaAppearance, a) }

// DecodeAppearance reads an Appearance envelope. Errors are permanent (see IsPermanent).
func DecodeAppearance(b []byte) (Appearance, error) {
	var a Appearance
	return a, decode(b, SchemaAppearance, &a)
}

// SchemaOf returns an envelope's schema without decoding its data, so a reader of a topic
// that carries several kinds (stories and appearances) can pick the decoder. Errors are
// permanent.
func SchemaOf(b []byte) (string, error) {
	var env struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return "", Permanent(fmt.Errorf("decode envelope: %w", err))
	}
	return env.Schema, nil
}

func encode(schema string, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", schema, err)
	}
	return json.Marshal(envelope{Schema: schema, Data: data})
}

func decode(b []byte, want string, v any) error {
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return Permanent(fmt.Errorf("decode envelope: %w", err))
	}
	if env.Schema != want {
		return Permanent(fmt.Errorf("%w: got %q, want %q", ErrUnknownSchema, env.Schema, want))
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		return Permanent(fmt.Errorf("decode %s: %w", want, err))
	}
	return nil
}
