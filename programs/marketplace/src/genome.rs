//! A job's genome on chain: its layer accounts, the first one required and up to three optional
//! ones, always checked against the layers the job recorded, in order.

use pinocchio::{error::ProgramError, AccountView, Address};

use crate::state::layer::LayerCounters;
use crate::state::{Job, Layer};

/// Checks that `first` and the present `rest` are the job's layers in order, then lets `f` change
/// each one's counters in place (with its index in the genome).
pub fn update_layers(
    job: &Job,
    program_id: &Address,
    first: &mut AccountView,
    rest: [&mut Option<AccountView>; 3],
    mut f: impl FnMut(usize, &mut LayerCounters) -> Result<(), ProgramError>,
) -> Result<(), ProgramError> {
    let [second, third, fourth] = rest;
    let mut views = [Some(first), second.as_mut(), third.as_mut(), fourth.as_mut()];
    job.check_layers(views.each_ref().map(|v| v.as_ref().map(|v| v.address())))?;
    for (i, view) in views.iter_mut().enumerate() {
        let Some(view) = view else { continue };
        f(i, Layer::counters_mut(view, program_id)?)?;
    }
    Ok(())
}
