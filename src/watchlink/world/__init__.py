"""Synthetic and demo worlds (layer L0): seeded, pure, fictional people only.

``generate`` streams a reproducible world of any size with ground truth for every
encounter; ``demo_world`` is the story the product demonstrates step by step.
"""

from watchlink.world.demo import DEMO_USERS, DemoStory, DemoUser, DemoWorld, demo_world
from watchlink.world.encounters import Truth, Variation
from watchlink.world.stolen import StolenBatch
from watchlink.world.synth import SynthWorld, generate

__all__ = [
    "DEMO_USERS",
    "DemoStory",
    "DemoUser",
    "DemoWorld",
    "StolenBatch",
    "SynthWorld",
    "Truth",
    "Variation",
    "demo_world",
    "generate",
]
