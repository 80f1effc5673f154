"""/v1/customers: like every entity, except that deleting a customer is a GDPR erasure.

Erasure deletes the customer and all their events and strips personal fields from the orders
and reviews that stay (see ``shopmind.store.erase_customer``).
"""

from __future__ import annotations

from fastapi import Depends

from shopmind.api.auth import require
from shopmind.api.deps import SettingsDep, StoreDep
from shopmind.api.routers.entities import check_batch_size, entity_router
from shopmind.api.schemas import CustomerBatchIn, CustomerPage, DeletedOut, ErasureReportOut, IdsIn
from shopmind.core.errors import NotFoundError
from shopmind.core.schemas import Customer
from shopmind.store import Role, erase_customer

router = entity_router(
    "customers",
    model=Customer,
    batch_in=CustomerBatchIn,
    page_out=CustomerPage,
    read_role=Role.MERCHANT,  # personal data
    deletable=False,
)
_merchant = [Depends(require(Role.MERCHANT))]


@router.post(
    "/delete",
    response_model=DeletedOut,
    dependencies=_merchant,
    summary="Erase customers (GDPR)",
    description="Erases each id in turn; `deleted` counts the ids the store knew anything of.",
)
def erase_many(body: IdsIn, store: StoreDep, settings: SettingsDep) -> DeletedOut:
    check_batch_size(body.ids, settings.max_batch)
    erased = 0
    # One transaction per customer: an erasure that succeeded stays done even if a later one
    # fails, and a retry of the whole call is harmless.
    for customer_id in dict.fromkeys(body.ids):
        try:
            erase_customer(store, customer_id)
        except NotFoundError:
            continue
        erased += 1
    return DeletedOut(deleted=erased)


@router.delete(
    "/{item_id:path}",
    response_model=ErasureReportOut,
    dependencies=_merchant,
    summary="Erase a customer (GDPR)",
    description="404 when the store knows nothing of the customer.",
)
def erase(item_id: str, store: StoreDep) -> ErasureReportOut:
    return ErasureReportOut.model_validate(erase_customer(store, item_id))
