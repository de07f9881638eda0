"""The footer of every screen: the screen's keys on one line, drawn as text by one widget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from orr.textsafe import one_line

DIM = Style(dim=True)


@dataclass(frozen=True)
class FooterItem:
    """One entry of the footer: a key and what it does, or a group of keys ("n p Move")."""

    keys: tuple[FooterKey, ...]
    description: str

    @property
    def text(self) -> str:
        shown = " ".join(k.shown for k in self.keys)
        return f"{shown} {self.description}" if self.description else shown


@dataclass(frozen=True)
class FooterKey:
    key: str  # as Textual names it (what a click presses)
    shown: str  # as the footer shows it
    enabled: bool
    tooltip: str


def footer_items(screen: Screen[object]) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
    """The keys the footer of ``screen`` shows, in the order of its bindings (the keys of one
    action together, the actions of one binding group as one entry), and the command palette's
    key (shown apart, on the right)."""
    app = screen.app
    active = screen.active_bindings
    by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
    for _node, binding, enabled, tooltip in active.values():
        if binding.show:
            by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))

    def key(binding: Binding, enabled: bool, tooltip: str) -> FooterKey:
        shown = one_line(app.get_key_display(binding))
        return FooterKey(binding.key, shown, enabled, one_line(tooltip or binding.description))

    items: list[FooterItem] = []
    actions = [keys[0] for keys in by_action.values()]  # an action's first key
    n = 0
    while n < len(actions):
        group = actions[n][0].group
        end = n + 1
        while group is not None and end < len(actions) and actions[end][0].group == group:
            end += 1
        if group is not None and end - n > 1:
            keys = tuple(key(*entry) for entry in actions[n:end])
            items.append(FooterItem(keys, one_line(group.description)))
        else:
            end = n + 1
            binding, enabled, tooltip = actions[n]
            items.append(
                FooterItem((key(binding, enabled, tooltip),), one_line(binding.description))
            )
        n = end
    palette: FooterItem | None = None
    found = active.get(app.COMMAND_PALETTE_BINDING)
    if found is not None and app.ENABLE_COMMAND_PALETTE:
        _node, binding, enabled, tooltip = found
        palette = FooterItem(
            (key(binding, enabled, binding.tooltip),), one_line(binding.description)
        )
    return tuple(items), palette


class KeysFooter(Widget, can_focus=False):
    """The screen's keys on one line: each key bold, then what it does; a group of keys once
    ("n p Move"); a key that does nothing now dimmed; the palette key on the right where the
    screen is wide (``-ample``). A click on a key presses it; the pointer on one shows its
    tooltip. Entries that do not fit are left out whole (never cut in a word, or in a
    double-width character).

    One widget that draws its line (Textual's footer is a widget per key, made again whenever
    the keys change: at start, on every change of focus): the line is drawn again only when
    the keys it shows change, and never asks for a layout."""

    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $panel;
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-footer--separator {
            color: $foreground 20%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--separator",
    }

    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self.items: tuple[FooterItem, ...] = ()
        self.palette: FooterItem | None = None
        self._spans: list[tuple[int, FooterKey]] = []  # where each key is, as last drawn

    def on_mount(self) -> None:
        screen = self.screen
        screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._update(screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual empties the bindings while the terminal is not in focus: the keys stay.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._update(screen)

    def _update(self, screen: Screen[object]) -> None:
        items, palette = footer_items(screen)
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            self.refresh()

    # --- drawing ---

    def _shows_palette(self) -> bool:
        return self.palette is not None and self.screen.has_class("-ample")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0:
            return Strip.blank(width, base)
        key_style = base + self.get_component_rich_style("keys-footer--key", partial=True)
        text_style = base + self.get_component_rich_style("keys-footer--description", partial=True)
        spans: list[tuple[int, FooterKey]] = []
        segments: list[Segment] = []

        def draw(item: FooterItem, x: int) -> int:
            for n, k in enumerate(item.keys):
                if n:
                    segments.append(Segment(" ", text_style))
                    x += 1
                spans.append((x, k))
                segments.append(Segment(k.shown, key_style if k.enabled else key_style + DIM))
                x += cell_len(k.shown)
            if item.description:
                segments.append(Segment(" " + item.description, text_style))
                x += 1 + cell_len(item.description)
            return x

        palette = self.palette if self._shows_palette() else None
        room = width - (1 + cell_len(palette.text) if palette is not None else 0)
        x = 0
        for n, item in enumerate(self.items):
            lead = 1 if len(item.keys) > 1 and n else 0  # a group stands apart
            if x + lead + cell_len(item.text) > room:
                continue  # left out whole (a shorter one after it may fit)
            if lead:
                segments.append(Segment(" ", base))
                x += 1
            x = draw(item, x)
            if x < room:
                segments.append(Segment(" ", base))
                x += 1
        if palette is not None:
            segments.append(Segment(" " * (room - x), base))
            separator = self.get_component_rich_style("keys-footer--separator", partial=True)
            segments.append(Segment("▏", base + separator))
            draw(palette, room + 1)
        self._spans = spans
        return Strip(segments).adjust_cell_length(width, base)

    # --- the mouse ---

    def _key_at(self, x: int) -> FooterKey | None:
        for start, k in self._spans:
            if start <= x < start + cell_len(k.shown):
                return k
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self._key_at(event.x)
        self.tooltip = found.tooltip if found else None

    def on_click(self, event: events.Click) -> None:
        found = self._key_at(event.x)
        if found is None:
            return
        if found.enabled:
            self.app.simulate_key(found.key)
        else:
            self.app.bell()
