//! A job's genome on chain: its layer accounts, the first one required and up to three optional
//! ones, always checked against the layers the job recorded, in order.

use pinocchio::{error::ProgramError, AccountView, Address};
use spicetime_abi::account::AccountData;

use crate::state::{Job, Layer};

/// Checks that `first` and the present `rest` are the job's layers in order, then reads each, lets
/// `f` change it (with its index in the genome) and saves it.
pub fn update_layers(
    job: &Job,
    program_id: &Address,
    first: &mut AccountView,
    rest: [&mut Option<AccountView>; 3],
    mut f: impl FnMut(usize, &mut Layer) -> Result<(), ProgramError>,
) -> Result<(), ProgramError> {
    let [second, third, fourth] = rest;
    let mut views = [Some(first), second.as_mut(), third.as_mut(), fourth.as_mut()];
    job.check_layers(views.each_ref().map(|v| v.as_ref().map(|v| v.address())))?;
    for (i, view) in views.iter_mut().enumerate() {
        let Some(view) = view else { continue };
        let mut layer = Layer::read(view, program_id, "layer")?;
        f(i, &mut layer)?;
        layer.save(view)?;
    }
    Ok(())
}
