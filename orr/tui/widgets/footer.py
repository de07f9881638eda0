"""The footer of every screen: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's footer rebuilds its keys (a widget per key) whenever the screen's bindings may
    have changed: the focus moved, a screen was shown again, a key was enabled. Most of those
    times it would show the same keys: this one rebuilds only when what it shows changed."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._keys: tuple[object, ...] | None = None  # what the last rebuild showed

    def _shown_keys(self) -> tuple[object, ...]:
        """Everything the footer's keys are made from (see Footer.compose)."""
        app = self.app
        bindings = self.screen.active_bindings
        keys = tuple(
            (binding, enabled, tooltip, app.get_key_display(binding))
            for (_node, binding, enabled, tooltip) in bindings.values()
            if binding.show
        )
        palette = bindings.get(app.COMMAND_PALETTE_BINDING)
        return (
            keys,
            (palette.binding, palette.enabled, palette.tooltip) if palette else None,
            self.show_command_palette and app.ENABLE_COMMAND_PALETTE,
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if (
            self._bindings_ready
            and screen.app.app_focus
            and self.is_attached
            and screen is self.screen
            and self._shown_keys() == self._keys
        ):
            return
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        if self.is_attached and self._bindings_ready and self._shown_keys() == self._keys:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._keys = self._shown_keys()
        yield from super().compose()
