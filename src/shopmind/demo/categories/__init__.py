"""The demo shop's categories, in a fixed order (their index is stored in the catalog plan)."""

from __future__ import annotations

from shopmind.demo.catalog_types import Category
from shopmind.demo.categories.electronics import AUDIO, PHONE_ACCESSORIES, WEARABLES
from shopmind.demo.categories.everyday import BABY, GROCERY, PET_SUPPLIES, SPORTS_OUTDOORS
from shopmind.demo.categories.fashion import APPAREL, BEAUTY, SHOES
from shopmind.demo.categories.home import BOOKS, FURNITURE, HOME_KITCHEN, TOYS

CATEGORIES: tuple[Category, ...] = (
    PHONE_ACCESSORIES,
    AUDIO,
    WEARABLES,
    HOME_KITCHEN,
    FURNITURE,
    TOYS,
    BOOKS,
    APPAREL,
    SHOES,
    BEAUTY,
    SPORTS_OUTDOORS,
    GROCERY,
    PET_SUPPLIES,
    BABY,
)
