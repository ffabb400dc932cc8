package common

import "github.com/charmbracelet/bubbles/key"

// keyBinding keeps the KeyMap interface identical to bubbles' help.KeyMap.
type keyBinding = key.Binding
